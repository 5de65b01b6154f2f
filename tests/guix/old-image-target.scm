;; Guix 1.3's image forms: the platform named by a GNU triplet (`target`), and the ARM board
;; disk images taking the root partition's offset (room for the board's U-Boot before it).
(use-modules (gnu) (gnu image) (gnu system image))

(define board-os
  (operating-system
    (host-name "armbox")
    (bootloader (bootloader-configuration
                 (bootloader u-boot-rock64-rk3328-bootloader)
                 (targets '("/dev/mmcblk0"))))
    (file-systems (cons (file-system
                          (device (file-system-label "arm-root"))
                          (mount-point "/")
                          (type "ext4"))
                        %base-file-systems))))

(image
  (inherit (image-with-os (arm64-disk-image (* 8 1024 1024)) board-os))
  (name 'armbox-image))
