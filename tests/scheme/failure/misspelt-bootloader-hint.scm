;; error: hint: `grub-bootlaoder` is not defined: did you mean grub-bootloader?
(define %my-loader grub-bootlaoder)

(operating-system
  (host-name "typo")
  (bootloader (bootloader-configuration (bootloader %my-loader)))
  (file-systems %base-file-systems))
