;; error: syntax-extra-paren-closes-os.scm:11:43: syntax error: this `)` closes the form opened at 6:1, but line 12 goes on indented as its body
;; error: one `)` is likely too many here or shortly before (the file then has one that closes nothing, at 16:43)
;; One `)` too many at the end of the targets line closes the operating-system there; the
;; next lines are indented as its body.
(use-modules (gnu))
(operating-system
  (host-name "kestrel")
  (timezone "Europe/Paris")
  (bootloader (bootloader-configuration
                (bootloader grub-efi-bootloader)
                (targets '("/boot/efi")))))
  (file-systems (cons (file-system
                        (mount-point "/")
                        (device (file-system-label "system"))
                        (type "ext4"))
                      %base-file-systems)))
