;; error: esp-mount-point-typo.scm:19:26: file-system: field mount-point: grub-efi-bootloader installs GRUB in "/boot/efi", its targets (at 12:16), but no file system is mounted there: this vfat file system on "/boot/ef" is not the ESP (Guix's grub-install fails on a target that is not a FAT mount point)
;; error: hint: did you mean (mount-point "/boot/efi")?
;; The ESP's mount point misspelt: GRUB's target names /boot/efi, which nothing mounts, and the
;; vfat file system a letter away would not be the image's ESP (ingot ties only /boot/efi to
;; it), so it would fail to mount at boot.
(use-modules (gnu))

(operating-system
  (host-name "esp-typo")
  (bootloader (bootloader-configuration
               (bootloader grub-efi-bootloader)
               (targets '("/boot/efi"))))
  (file-systems (cons* (file-system
                         (device (file-system-label "typo-root"))
                         (mount-point "/")
                         (type "ext4"))
                       (file-system
                         (device (uuid "1234-ABCD" 'fat))
                         (mount-point "/boot/ef")
                         (type "vfat"))
                       %base-file-systems)))
