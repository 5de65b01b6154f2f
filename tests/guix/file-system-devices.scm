;; Devices Guix looks for and does not find: a string is a device file name to Guix, so a UUID
;; or a label written as a plain string names no device; a FAT file system's uuid is its
;; 4-byte serial, which a DCE uuid cannot be. Each is a warning at the device clause, with
;; the form Guix wants; a mapped device's name, "none" and a path are not warned about.
(use-modules (gnu))
(operating-system
  (host-name "devices")
  (bootloader (bootloader-configuration (bootloader grub-efi-bootloader)
                                        (targets '("/boot/efi"))))
  (mapped-devices (list (mapped-device (source "/dev/sda3") (target "crypthome")
                                       (type luks-device-mapping))))
  (file-systems (cons* (file-system (device "0e3e6c55-5a2b-4c57-9d0e-3c5e0b1f2a11")
                                    (mount-point "/") (type "ext4"))
                       (file-system (device (uuid "425eafc0-14a6-408c-aafa-2cd759ce8198" 'ext4))
                                    (mount-point "/boot/efi") (type "vfat"))
                       (file-system (device "data") (mount-point "/data") (type "xfs"))
                       (file-system (device "dev/sdb1") (mount-point "/srv") (type "ext4"))
                       (file-system (device "ABCD-1234") (mount-point "/boot") (type "vfat"))
                       (file-system (device "crypthome") (mount-point "/home") (type "ext4"))
                       %base-file-systems)))
