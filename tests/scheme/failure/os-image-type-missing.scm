;; error: os-image-type-missing.scm:2:1: os->image: #:type must be an image type, e.g. efi-raw-image-type; got
(os->image (operating-system (host-name "x")
                             (bootloader (bootloader-configuration (bootloader grub-bootloader)))
                             (file-systems '()))
           #:type 'efi-raw)
