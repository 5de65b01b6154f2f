;; A module for use-modules-forgotten*.scm: its file is lib/hosts.scm, so its name (hosts)
;; leads to it only from -L tests/guix/failure/lib.
(define-module (hosts)
  #:use-module (gnu)
  #:export (make-host-os))

(define (make-host-os name)
  (operating-system
    (host-name name)
    (bootloader (bootloader-configuration
                 (bootloader grub-bootloader)
                 (targets '("/dev/vda"))))
    (file-systems (cons (file-system
                          (device "/dev/vda1")
                          (mount-point "/")
                          (type "ext4"))
                        %base-file-systems))))
