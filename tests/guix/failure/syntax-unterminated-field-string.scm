;; error: syntax-unterminated-field-string.scm:7:14: syntax error: this string runs on to line 8, which reads as code; is its closing `"` missing?
;; error: the quotes pair up shifted from here on: the file ends inside a string opened at 15:36
;; The host name's closing quote is missing: every later string pairs up shifted, and the file
;; ends inside the last one; the string that runs on into code is blamed.
(use-modules (gnu))
(operating-system
  (host-name "kestrel)
  (timezone "Europe/Paris")
  (bootloader (bootloader-configuration
                (bootloader grub-efi-bootloader)
                (targets '("/boot/efi"))))
  (file-systems (cons (file-system
                        (mount-point "/")
                        (device (file-system-label "system"))
                        (type "ext4"))
                      %base-file-systems)))
