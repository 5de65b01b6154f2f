;; error: misspelt-bootloader.scm:6:17: bootloader-configuration: field bootloader: expected a bootloader such as grub-bootloader or grub-efi-bootloader (got #<unknown grub-efi-bootlaoder>)
;; A typo in the bootloader's name is an error at its clause, not an MBR without boot code.
(operating-system
  (host-name "typo")
  (bootloader (bootloader-configuration
                (bootloader grub-efi-bootlaoder)))
  (file-systems %base-file-systems))
