;; error: bootloader-targets.scm:3:27: bootloader-configuration: field targets: expected a list of strings such as '("/dev/sda") (got "/dev/sda")
(bootloader-configuration (bootloader grub-bootloader)
                          (targets "/dev/sda"))
