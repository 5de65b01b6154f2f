;; error: extended-symbol-unknown.scm:7:3: operating-system: field host-name: expected a string (got #<unknown no such host>)
;; error: hint: `no such host` is not defined
;; A name ingot does not know spelt with `#{…}#` and a blank in it is an opaque value like
;; any other unknown name, and the error where it is used names it.
(use-modules (gnu))
(operating-system
  (host-name #{no such host}#)
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (file-systems %base-file-systems))
