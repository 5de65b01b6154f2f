;; error: os-image-type-missing.scm:5:19: os->image: #:type must be an image type, e.g. efi-raw-image-type; got 'efi-raw
(os->image (operating-system (host-name "x")
                             (bootloader (bootloader-configuration (bootloader grub-bootloader)))
                             (file-systems '()))
           #:type 'efi-raw)
