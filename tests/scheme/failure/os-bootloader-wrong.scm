;; error: os-bootloader-wrong.scm:4:3: operating-system: field bootloader: expected (bootloader-configuration …) (got grub-bootloader)
(operating-system
  (host-name "b")
  (bootloader grub-bootloader)
  (file-systems '()))
