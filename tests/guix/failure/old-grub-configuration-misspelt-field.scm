;; error: old-grub-configuration-misspelt-field.scm:7:35: grub-configuration: field devise: no such field
;; error: hint: did you mean `device`? grub-configuration fields: grub device bootloader
;; Old Guix's (grub-configuration …) is said by its own name, with its own clauses offered
;; (it is made as a bootloader-configuration, which has no `device`).
(operating-system
  (host-name "h")
  (bootloader (grub-configuration (devise "/dev/sda")))
  (file-systems (cons (file-system (device (file-system-label "r")) (mount-point "/")
                                   (type "ext4"))
                      %base-file-systems)))
