;; error: syntax-inner-paren-missing.scm:12:24: syntax error: this `(` is not closed before line 16, which is indented as its sibling
;; error: add the missing `)` where this form ends (the file ends inside a form; line 16's indentation says this one should have closed)
;; A file-system record missing its closing parenthesis: the next line, indented as its
;; sibling, is where the indentation says it should have closed (not the operating-system).
(use-modules (gnu))
(operating-system
  (host-name "kestrel")
  (timezone "Europe/Paris")
  (bootloader (bootloader-configuration
                (bootloader grub-efi-bootloader)
                (targets '("/boot/efi"))))
  (file-systems (cons* (file-system
                         (mount-point "/")
                         (device (file-system-label "system"))
                         (type "ext4")
                       (file-system
                         (mount-point "/boot/efi")
                         (device (uuid "1234-ABCD" 'fat))
                         (type "vfat"))
                       %base-file-systems)))
