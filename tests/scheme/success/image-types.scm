;; One operating-system made into an image by each standard image type.
(operating-system
  (host-name "typed")
  (bootloader (bootloader-configuration
               (bootloader grub-efi-bootloader)
               (targets '("/boot/efi"))))
  (file-systems (list (file-system
                        (device (file-system-label "Guix_image"))
                        (mount-point "/")
                        (type "ext4"))))
  (root-tree "rootfs"))
