;; error: os-missing-host-name.scm:2:1: operating-system: field host-name: missing mandatory field
(operating-system
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems %base-file-systems))
