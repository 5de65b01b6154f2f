;; error: extended-symbol-unterminated.scm:6:19: syntax error: unterminated #{…}# symbol
;; error: hint: close it with }#
;; A `#{` that nothing closes: Guile reads the rest of the file into the symbol's name;
;; ingot says where it opens.
(use-modules (gnu))
(define styles '((#{main .side) (colour . red)))

(operating-system
  (host-name "stone")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (file-systems %base-file-systems))
