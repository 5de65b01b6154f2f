;; error: bar-symbol-name.scm:6:17: |require-builtin| is not available: definitions cannot load Steel modules
;; A name spelt as Steel's `|…|` symbol (or Guile's `#{…}#`) is checked by the name Steel reads
;; from it: `|require-builtin|` is require-builtin.
(use-modules (gnu))

(define hidden (|require-builtin| steel/process))

(operating-system
  (host-name "pebble")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (file-systems %base-file-systems))
