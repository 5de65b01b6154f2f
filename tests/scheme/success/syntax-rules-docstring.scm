;; Guile allows a docstring before the clauses of syntax-rules.
(define-syntax host-of
  (syntax-rules ()
    "The host name made of NAME and
a fixed suffix."
    ((_ name) (string-append name "-doc"))))

(operating-system
  (host-name (host-of "macro"))
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems %base-file-systems))
