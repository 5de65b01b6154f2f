;; error: bootloader-target.scm:2:56: bootloader-configuration: field target: expected a string or #f (got 1)
(bootloader-configuration (bootloader grub-bootloader) (target 1))
