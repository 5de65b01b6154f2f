;; error: local-file-missing.scm:5:5: local-file: field file: no such file: 
(operating-system
  (host-name "k")
  (kernel
    (local-file "boot/no-such-kernel"))
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems '()))
