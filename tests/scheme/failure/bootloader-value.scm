;; error: bootloader-value.scm:2:27: bootloader-configuration: field bootloader: expected a bootloader such as grub-bootloader or grub-efi-bootloader (got "grub")
(bootloader-configuration (bootloader "grub"))
