;; error: os-misspelt-field.scm:3:3: operating-system: field host-nam: no such field (got "box")
(operating-system
  (host-nam "box")
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems %base-file-systems))
