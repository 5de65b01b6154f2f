;; error: image-type-value-in-helper.scm:12:24: `efi-raw-image-typ` is not defined: did you mean efi-raw-image-type?
;; The misspelt image type is in a helper's (os->image …), which a later form calls: the error
;; is at the name in the helper, not at another #:type the calling form writes.
(use-modules (gnu) (gnu image) (gnu system image))
(define base-os
  (operating-system
    (host-name "k") (timezone "UTC") (locale "en_US.utf8")
    (bootloader (bootloader-configuration (bootloader grub-efi-bootloader) (targets '("/boot/efi"))))
    (file-systems (cons (file-system (device (file-system-label "root")) (mount-point "/") (type "ext4"))
                        %base-file-systems))))
(define (disk-of os)
  (os->image os #:type efi-raw-image-typ))
(let ((options (list #:type "unused")))
  (disk-of base-os))
