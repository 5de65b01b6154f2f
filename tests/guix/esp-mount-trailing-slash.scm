;; An ESP mounted on "/boot/efi/" (a trailing slash) is the ESP of targets "/boot/efi" and
;; "/boot/efi/": the same directory, as Guix's mount and grub-install take it. It gets the
;; ESP's FAT serial from its uuid; a root written "/" stays the root.
(use-modules (gnu))

(operating-system
  (host-name "slash")
  (bootloader (bootloader-configuration (bootloader grub-efi-bootloader)
                                        (targets '("/boot/efi/"))))
  (file-systems (cons* (file-system (mount-point "/") (device (file-system-label "root"))
                                    (type "ext4"))
                       (file-system (mount-point "/boot/efi/") (device (uuid "1234-ABCD" 'fat))
                                    (type "vfat"))
                       %base-file-systems)))
