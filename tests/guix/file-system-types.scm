;; File-system values Guix accepts and the mount then gets wrong: a type that is no Linux file
;; system type (a did-you-mean when one is close), a relative mount point. Each is a warning
;; at its clause; fuse.NAME, 9p and the base file systems' types are not warned about.
(use-modules (gnu))
(operating-system
  (host-name "types")
  (bootloader (bootloader-configuration (bootloader grub-efi-bootloader)
                                        (targets '("/boot/efi"))))
  (file-systems (cons* (file-system (device (file-system-label "root")) (mount-point "/")
                                    (type "ext5"))
                       (file-system (device (uuid "1234-ABCD" 'fat)) (mount-point "boot/efi")
                                    (type "vfat32"))
                       (file-system (device "/dev/sdb1") (mount-point "/data") (type "ext4 "))
                       (file-system (device "/dev/sdc1") (mount-point "/srv") (type "brtfs"))
                       (file-system (device "host:/") (mount-point "/mnt/s") (type "fuse.sshfs"))
                       (file-system (device "share") (mount-point "/mnt/p") (type "9p"))
                       (file-system (device "/dev/sdd1") (mount-point "/mnt/q") (type "qqqfs"))
                       %base-file-systems)))
