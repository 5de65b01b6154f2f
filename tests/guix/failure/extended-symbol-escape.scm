;; error: extended-symbol-escape.scm:5:24: syntax error: bad \x escape in a #{…}# symbol
;; error: hint: write a character as \x, its code in hexadecimal, then ;
;; `\x` in a `#{…}#` symbol must be hexadecimal digits ended by `;`, as in Guile.
(use-modules (gnu))
(define colour '#{green\xzz;}#)

(operating-system
  (host-name "stone")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (file-systems %base-file-systems))
