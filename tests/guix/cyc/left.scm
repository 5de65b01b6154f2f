;; Half of a module cycle (tests/guix/module-cycle.scm): imports (cyc right), which imports
;; this module back and calls `left-name` only inside a procedure.
(define-module (cyc left)
  #:use-module (gnu)
  #:use-module (cyc right)
  #:export (left-name cycle-os))

(define left-name "left")

(define cycle-os
  (operating-system
    (host-name (right-label))
    (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
    (file-systems %base-file-systems)))
