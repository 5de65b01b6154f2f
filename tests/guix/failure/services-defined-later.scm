;; error: services-defined-later.scm:16:15: `my-services` is used before its definition ran
;; A server whose service list is written below the operating-system that stores it: Guile
;; evaluates the top-level form at once and stops with "Unbound variable".
(use-modules (gnu))
(use-service-modules ssh)

(define server
  (operating-system
    (host-name "tallinn")
    (bootloader (bootloader-configuration
                 (bootloader grub-bootloader)
                 (targets '("/dev/sda"))))
    (file-systems (cons (file-system (device (file-system-label "root"))
                                     (mount-point "/") (type "ext4"))
                        %base-file-systems))
    (services my-services)))

(define my-services
  (cons (service openssh-service-type) %base-services))

server
