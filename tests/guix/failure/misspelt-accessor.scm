;; error: hint: `pakage-name`: did you mean package-name?
;; A misspelt procedure is an opaque placeholder; when its result reaches a builtin that needs
;; a string, the error names it and offers the close name.
(use-modules (gnu))

(define chosen
  (filter (lambda (p) (not (string=? (pakage-name p) "nano"))) %base-packages))

(operating-system
  (host-name "h")
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (packages chosen)
  (file-systems %base-file-systems))
