;; An archive image's system has no root to mount (it runs in a container): an OS without a
;; file system on "/" is no warning there, nor is a placeholder file system whose device is
;; named as its type.
(use-modules (gnu) (gnu image) (gnu system image))

(define os
  (operating-system
    (host-name "container")
    (bootloader (bootloader-configuration (bootloader grub-bootloader)
                                          (targets '("/dev/sda"))))
    (file-systems (list (file-system (device "placeholder") (mount-point "/srv")
                                     (type "placeholder"))))))

(image-with-os docker-image os)
