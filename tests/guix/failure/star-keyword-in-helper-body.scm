;; error: star-keyword-in-helper-body.scm:8:30: labelled: unrecognized keyword #:lable: did you mean #:label? (labelled takes #:label #:at)
;; The wrong call is in another procedure's body, which the operating-system calls: the error
;; is at that call.
(use-modules (gnu))
(define* (labelled #:key (label "root") (at "/"))
  (file-system (device (file-system-label label)) (mount-point at) (type "ext4")))
(define (root-and-home)
  (list (labelled) (labelled #:lable "home" #:at "/home")))
(operating-system
  (host-name "k") (timezone "UTC") (locale "en_US.utf8")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (file-systems (append (root-and-home) %base-file-systems)))
