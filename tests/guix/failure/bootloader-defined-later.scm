;; error: bootloader-defined-later.scm:8:43: bootloader-configuration: field bootloader: expected a bootloader such as grub-bootloader or grub-efi-bootloader (got #<my-loader, used before its definition ran>)
;; The bootloader variable is defined after the operating-system that uses it.
(use-modules (gnu))

(define laptop
  (operating-system
    (host-name "tartu")
    (bootloader (bootloader-configuration (bootloader my-loader)
                                          (targets '("/dev/sda"))))
    (file-systems (cons (file-system (device (file-system-label "root"))
                                     (mount-point "/") (type "ext4"))
                        %base-file-systems))))

(define my-loader grub-bootloader)

laptop
