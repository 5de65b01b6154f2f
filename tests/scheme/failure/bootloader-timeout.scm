;; error: bootloader-timeout.scm:2:56: bootloader-configuration: field timeout: expected a number of seconds (a non-negative number) (got "5")
(bootloader-configuration (bootloader grub-bootloader) (timeout "5"))
