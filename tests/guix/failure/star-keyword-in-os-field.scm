;; error: star-keyword-in-os-field.scm:12:47: data-fs: unrecognized keyword #:mount-to: did you mean #:mount-at? (data-fs takes #:name #:mount-at)
;; error: hint: data-fs is defined at
;; error: star-keyword-in-os-field.scm:7:1
;; A define* procedure called in an operating-system field with a keyword it does not take:
;; the error is at that keyword, not at the (define* …) whose check raised it.
(use-modules (gnu))
(define* (data-fs #:key (name "data") (mount-at "/srv"))
  (file-system (device (file-system-label name)) (mount-point mount-at) (type "ext4")))
(operating-system
  (host-name "k") (timezone "UTC") (locale "en_US.utf8")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (file-systems (cons* (data-fs #:name "root" #:mount-to "/") %base-file-systems)))
