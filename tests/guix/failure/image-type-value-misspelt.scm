;; error: image-type-value-misspelt.scm:20:32: `small-disk-image-typ` is not defined: did you mean small-disk-image-type?
;; error: hint: os->image: #:type must be an image type, e.g. efi-raw-image-type; got #<unknown small-disk-image-typ>
;; A misspelt image-type name given as os->image's #:type (here through os+platform->image, in
;; an inherit): the error is at the name, with the one meant.
(use-modules (gnu) (gnu image) (gnu system image) (gnu platforms x86))
(define base-os
  (operating-system
    (host-name "k") (timezone "UTC") (locale "en_US.utf8")
    (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
    (file-systems (cons (file-system (device (file-system-label "root")) (mount-point "/") (type "ext4"))
                        %base-file-systems))))
(define small-disk-image-type
  (image-type
   (name 'small-disk)
   (constructor (lambda (os) (image (inherit mbr-disk-image) (operating-system os))))))
(define small-image
  (image
   (inherit
    (os+platform->image base-os x86_64-linux
                        #:type small-disk-image-typ))
   (name 'small)))
small-image
