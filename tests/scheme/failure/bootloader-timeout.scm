;; error: bootloader-timeout.scm:2:56: bootloader-configuration: field timeout: expected a number of seconds (or a negative integer: wait for a key) (got "5")
(bootloader-configuration (bootloader grub-bootloader) (timeout "5"))
