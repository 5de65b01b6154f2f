;; ingot's operating-system: the fields it uses, with files relative to this file.
(operating-system
  (host-name "ingot-os")
  (kernel (local-file "boot/vmlinuz"))
  (initrd "boot/initrd.cpio.gz")
  (kernel-arguments '("console=ttyS0" "root=LABEL=Guix_image"))
  (bootloader (bootloader-configuration
               (bootloader grub-bootloader)
               (targets '("/dev/sda"))
               (timeout 3)))
  (file-systems (cons* (file-system
                         (device (file-system-label "Guix_image"))
                         (mount-point "/")
                         (type "ext4"))
                       (file-system
                         (device (uuid "1B2C-3D4E" 'fat))
                         (mount-point "/boot/efi")
                         (type "vfat"))
                       (file-system
                         (device (uuid "0b6c8f5e-4a2b-4c1d-9e8f-112233445566"))
                         (mount-point "/data")
                         (type "ext4"))
                       (file-system
                         (device "/dev/sdb1")
                         (mount-point "/srv")
                         (type "ext2"))
                       %base-file-systems))
  (root-tree (local-file "rootfs" #:recursive? #true))
  (firmware-directory "firmware"))
