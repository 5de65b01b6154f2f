;; error: bad-bootloader-timeout.scm:8:17: bootloader-configuration: field timeout: expected a number of seconds (or a negative integer: wait for a key) (got "5")
(use-modules (gnu))

(operating-system
  (host-name "slow")
  (bootloader (bootloader-configuration
                (bootloader grub-bootloader)
                (timeout "5")))
  (file-systems %base-file-systems))
