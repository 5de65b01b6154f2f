;; The forms of Guix before 0.14/1.0 that old personal configs still use: the bootloader as
;; (grub-configuration (device …)), GRUB for EFI with (grub grub-efi), and a string device
;; read as a label or a UUID through the file-system's `title`.
(use-modules (gnu))

(define efi-boot
  (grub-configuration (grub grub-efi) (device "/dev/nvme0n1") (timeout 3)))

(operating-system
  (host-name "old-style")
  (bootloader (grub-configuration (device "/dev/sdb") (timeout 2)))
  (file-systems (cons* (file-system
                         (device "system-root")
                         (title 'label)
                         (mount-point "/")
                         (type "ext4"))
                       (file-system
                         (device "1c8a2f3e-5b7d-4e9f-a0b1-c2d3e4f5a6b7")
                         (title 'uuid)
                         (mount-point "/home")
                         (type "ext4"))
                       (file-system
                         (device "/dev/sdb3")
                         (title 'device)
                         (mount-point "/srv")
                         (type "ext4"))
                       %base-file-systems))
  (kernel-arguments (list (if (equal? (bootloader-configuration-bootloader efi-boot)
                                      grub-efi-bootloader)
                              "efi" "bios")
                          (number->string (bootloader-configuration-timeout efi-boot)))))
