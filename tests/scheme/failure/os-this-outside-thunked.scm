;; error: os-this-outside-thunked.scm:2:1: this-operating-system is only bound inside a thunked field of operating-system
(operating-system
  (host-name (operating-system-label this-operating-system))
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems %base-file-systems))
