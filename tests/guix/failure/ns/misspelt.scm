;; A module whose operating-system misspells one of the module's own private names
;; (failure/module-private-misspelt.scm).
(define-module (ns misspelt)
  #:use-module (gnu)
  #:export (misspelt-os))

(define machine-name "box")

(define misspelt-os
  (operating-system
    (host-name machine-nmae)
    (bootloader (bootloader-configuration (bootloader grub-bootloader)))
    (file-systems %base-file-systems)))
