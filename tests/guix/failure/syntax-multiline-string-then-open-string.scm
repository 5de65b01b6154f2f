;; error: syntax-multiline-string-then-open-string.scm:14:13: syntax error: this string runs on to line 15, which reads as code; is its closing `"` missing?
;; error: the quotes pair up shifted from here on: the file ends inside a string opened at 17:38
;; A legitimate multi-line string before an unterminated one: the multi-line string reads as
;; text, not code (its parenthesised line is prose), and the string the mistake opens is
;; blamed.
(use-modules (gnu))
(define motd
  (plain-file "motd" "Welcome to kestrel.
  (Authorised use only.)
Have a nice day.
"))
(operating-system
  (host-name "kestrel")
  (timezone "Europe/Paris)
  (bootloader (bootloader-configuration
                (bootloader grub-efi-bootloader)
                (targets '("/boot/efi"))))
  (file-systems %base-file-systems))
