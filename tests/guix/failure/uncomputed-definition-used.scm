;; error: uncomputed-definition-used.scm:9:3: operating-system: field kernel-arguments: expected a list
;; error: hint: `extra-arguments` has no value: its definition could not be computed, because `package-properties` and `linux` are not known to ingot, and append needs a list here (at 6:25)
;; A definition computed from Guix names ingot does not know is kept opaque, and used where
;; ingot needs its value: the error there says why it has none.
(use-modules (gnu))
(define extra-arguments (append (package-properties linux) '("quiet")))
(operating-system
  (host-name "uncomputed")
  (kernel-arguments extra-arguments)
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (file-systems (cons (file-system (mount-point "/") (device "/dev/vda1") (type "ext4"))
                      %base-file-systems)))
