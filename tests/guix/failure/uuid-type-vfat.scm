;; error: uuid-type-vfat.scm:11:45: uuid: field type: not a uuid type of Guix: 'dce, 'fat, 'iso9660, 'ntfs, or a file system such as 'ext4 (got 'vfat)
;; error: hint: did you mean 'fat?
;; Guix's uuid types have 'fat, not 'vfat: (uuid "…" 'vfat) is "invalid UUID" at expansion.
(use-modules (gnu))
(operating-system
  (host-name "esp-uuid")
  (bootloader (bootloader-configuration (bootloader grub-efi-bootloader)
                                        (targets '("/boot/efi"))))
  (file-systems (cons* (file-system (device (file-system-label "root")) (mount-point "/")
                                    (type "ext4"))
                       (file-system (device (uuid "1234-ABCD" 'vfat)) (mount-point "/boot/efi")
                                    (type "vfat"))
                       %base-file-systems)))
