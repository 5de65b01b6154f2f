;; error: bootloader-timeout.scm:2:56: bootloader-configuration: field timeout: expected a number of seconds (an exact non-negative integer) (got "5")
(bootloader-configuration (bootloader grub-bootloader) (timeout "5"))
