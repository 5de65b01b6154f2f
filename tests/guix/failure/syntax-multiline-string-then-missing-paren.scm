;; error: syntax-multiline-string-then-missing-paren.scm:17:3: syntax error: this `(` is not closed before line 19, which is indented as its sibling
;; error: add the missing `)` where this form ends (the file ends inside a form; line 19's indentation says this one should have closed)
;; A legitimate multi-line string (a file's contents) before the mistake: the missing `)` of
;; the swap-space is blamed, not the string.
(use-modules (gnu))
(define motd
  (plain-file "motd" "Welcome to kestrel.
  (Authorised use only.)
Have a nice day.
"))
(operating-system
  (host-name "kestrel")
  (timezone "Europe/Paris")
  (bootloader (bootloader-configuration
                (bootloader grub-efi-bootloader)
                (targets '("/boot/efi"))))
  (swap-devices (list (swap-space
                        (target "/swapfile")))
  (file-systems %base-file-systems))
