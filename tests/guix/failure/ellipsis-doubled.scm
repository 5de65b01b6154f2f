;; error: ellipsis-doubled.scm:8:14: syntax error: `... ...` in a macro template (flattening one level of repetition) is not supported by ingot
;; error: hint: ingot expands macros with Steel's syntax-rules, which repeats one level per `...`
;; Guile flattens one level of repetition at `x ... ...`; Steel's syntax-rules cannot, so the
;; macro is refused where its second ellipsis is, not where Steel would stop expanding it.
(use-modules (gnu))

(define-syntax-rule (all-flags (group flag ...) ...)
  '(flag ... ...))

(operating-system
  (host-name "stone")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (kernel-arguments (all-flags (console "console=ttyS0" "quiet") (video "nomodeset")))
  (file-systems %base-file-systems))
