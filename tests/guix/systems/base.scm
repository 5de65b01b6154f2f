;; A user module of tests/guix/modules.scm, found in the including file's directory.
(define-module (systems base)
  #:use-module (gnu)
  #:use-module (srfi srfi-1)
  #:export (base-os))

(define %base-label "from-module")

(define (base-os name)
  (operating-system
    (host-name name)
    (bootloader (bootloader-configuration (bootloader grub-bootloader)))
    (file-systems (cons (file-system
                          (device (file-system-label %base-label))
                          (mount-point "/")
                          (type "ext4"))
                        %base-file-systems))))
