;; error: syntax-field-paren-missing.scm:14:25: syntax error: this `(` is not closed before line 15, which is indented as its sibling
;; error: add the missing `)` where this form ends (the file ends inside a form; line 15's indentation says this one should have closed)
;; A one-line field missing its `)`: the `)` of the record then closes it, and the field is
;; blamed at the line after it, indented as its sibling.
(use-modules (gnu))
(operating-system
  (host-name "kestrel")
  (timezone "Europe/Paris")
  (bootloader (bootloader-configuration
                (bootloader grub-efi-bootloader)
                (targets '("/boot/efi"))))
  (file-systems (cons (file-system
                        (mount-point "/")
                        (device (file-system-label "system")
                        (type "ext4"))
                      %base-file-systems)))
