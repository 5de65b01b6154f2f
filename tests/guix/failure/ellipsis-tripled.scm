;; error: ellipsis-tripled.scm:8:18: syntax error: `... ... ...` in a macro template is not supported by ingot
;; error: hint: ingot expands macros with Steel's syntax-rules, which repeats one level per `...`
;; `x ... ...` is flattened (ellipsis-flattened.scm); three ellipses, flattening two levels,
;; are refused where the third is, not where Steel would stop expanding the macro.
(use-modules (gnu))

(define-syntax-rule (all-flags ((group flag ...) ...) ...)
  '(flag ... ... ...))

(operating-system
  (host-name "stone")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (kernel-arguments (all-flags ((console "console=ttyS0" "quiet") (video "nomodeset"))))
  (file-systems %base-file-systems))
