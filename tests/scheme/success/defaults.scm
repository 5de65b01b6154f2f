;; What an operating-system gets when only the mandatory fields are written: Guix's
;; kernel arguments, a bootloader's defaults (no targets, 5 s), no kernel or root tree.
(operating-system
  (host-name "minimal")
  (bootloader (bootloader-configuration (bootloader grub-efi-removable-bootloader)))
  (file-systems %base-file-systems))
