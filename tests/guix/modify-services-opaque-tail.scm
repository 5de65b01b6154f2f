;; modify-services of a service list whose tail ingot could not compute (a list appended to a
;; name it does not know): the result is unknown too, and the operating-system still shows,
;; since ingot never reads services.
(use-modules (gnu))

(define %my-services
  (modify-services (append (list (service openssh-service-type)) %channel-services)
    (delete avahi-service-type)))

(operating-system
  (host-name "tail")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (file-systems (cons (file-system (mount-point "/") (device (file-system-label "root"))
                                   (type "ext4"))
                      %base-file-systems))
  (services %my-services))
