;; error: image-keyword-misspelt.scm:13:15: os->image: unexpected argument #:typ: did you mean #:type?
;; A misspelt keyword of a Guix procedure ingot provides gets the keyword meant.
(use-modules (gnu) (gnu image) (gnu system image))

(define os
  (operating-system
    (host-name "h")
    (bootloader (bootloader-configuration (bootloader grub-efi-bootloader) (targets '("/boot/efi"))))
    (file-systems (cons (file-system (mount-point "/") (device (file-system-label "root"))
                                     (type "ext4"))
                        %base-file-systems))))

(os->image os #:typ efi-raw-image-type)
