;; error: efi-on-mbr.scm:6:19: image: grub-efi-bootloader needs an EFI system partition, and this MBR image has none
(image
  (inherit mbr-disk-image)
  (operating-system
    (operating-system (host-name "x") (file-systems %base-file-systems)
      (bootloader (bootloader-configuration (bootloader grub-efi-bootloader)))
      (kernel "/boot/vmlinuz"))))
