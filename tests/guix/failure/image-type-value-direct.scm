;; error: image-type-value-direct.scm:10:27: `efi-raw-image-typ` is not defined: did you mean efi-raw-image-type?
;; A misspelt Guix image-type name given to os->image directly.
(use-modules (gnu) (gnu image) (gnu system image))
(define base-os
  (operating-system
    (host-name "k") (timezone "UTC") (locale "en_US.utf8")
    (bootloader (bootloader-configuration (bootloader grub-efi-bootloader) (targets '("/boot/efi"))))
    (file-systems (cons (file-system (device (file-system-label "root")) (mount-point "/") (type "ext4"))
                        %base-file-systems))))
(os->image base-os #:type efi-raw-image-typ)
