;; error: efi-on-mbr.scm:6:19: image: EFI bootloader required with GPT partitioning
(image
  (inherit mbr-disk-image)
  (operating-system
    (operating-system (host-name "x") (file-systems %base-file-systems)
      (bootloader (bootloader-configuration (bootloader grub-efi-bootloader)))
      (kernel "/boot/vmlinuz"))))
