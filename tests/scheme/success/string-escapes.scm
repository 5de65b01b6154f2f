;; Guile's string escapes: \xHH is exactly two hex digits (so "\x41;" is "A;"), \uHHHH and
;; \UHHHHHH, \v \f \b \0, and a backslash-newline skips the next line's leading blanks.
(define motd "\x1b[1;37mHi\x1b[0m")
(unless (equal? (map char->integer (string->list motd))
                '(27 91 49 59 51 55 109 72 105 27 91 48 109))
  (error "\\xHH"))
(unless (equal? (map char->integer (string->list "\v\f\b\0\u00e9\U01F600"))
                '(11 12 8 0 233 128512))
  (error "named escapes"))
(operating-system
  (host-name "a\x41;b\
              c")
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems %base-file-systems))
