;; error: image-keyword-in-define.scm:12:17: os->image: unexpected argument #:tpye: did you mean #:type?
;; A misspelt keyword of os->image inside a definition: at the keyword, not at the (define …).
(use-modules (gnu) (gnu image) (gnu system image))
(define base-os
  (operating-system
    (host-name "k") (timezone "UTC") (locale "en_US.utf8")
    (bootloader (bootloader-configuration (bootloader grub-efi-bootloader) (targets '("/boot/efi"))))
    (file-systems (cons (file-system (device (file-system-label "root")) (mount-point "/") (type "ext4"))
                        %base-file-systems))))
(define disk
  (os->image base-os
                #:tpye efi-raw-image-type))
disk
