;; No file system on "/", none that is "/" but for a blank: the warning asks about the file
;; systems that could be the root (on a disk or of a type Linux does not know), not the ESP,
;; /home and such, nor %base-file-systems' pseudo file systems.
(use-modules (gnu) (gnu image) (gnu system image))

(define os
  (operating-system
    (host-name "no-root")
    (bootloader (bootloader-configuration (bootloader grub-efi-bootloader)
                                          (targets '("/boot/efi"))))
    (file-systems (cons* (file-system (device (file-system-label "my-root"))
                                      (mount-point "/rot") (type "ext4"))
                         (file-system (device (uuid "1234-ABCD" 'fat))
                                      (mount-point "/boot/efi") (type "vfat"))
                         (file-system (device "scratch") (mount-point "/scratch")
                                      (type "no-such-type"))
                         (file-system (device (file-system-label "home"))
                                      (mount-point "/home") (type "ext4"))
                         %base-file-systems))))

(image-with-os efi-disk-image os)
