;; error: os-host-name-number.scm:3:3: operating-system: field host-name: expected a string (got 42)
(operating-system
  (host-name 42)
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems '()))
