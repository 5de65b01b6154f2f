;; error: module-file-without-value.scm:9:1: the definition must end with an image or an operating-system, but its last expression is #<unspecified>
;; error: hint: this file is a module, whose value is its last expression; it exports `box-os`: end it with the one to show
;; A file written as a module that exports its system (to be used from another file) and
;; ends with a definition: the hint names the exported operating-system, not the procedure.
(define-module (my systems box)
  #:use-module (gnu)
  #:export (box-os helper))
(define (helper x) x)
(define box-os
  (operating-system
    (host-name "box")
    (bootloader (bootloader-configuration (bootloader grub-bootloader)))
    (file-systems (cons (file-system (device (file-system-label "r")) (mount-point "/")
                                     (type "ext4"))
                        %base-file-systems))))
