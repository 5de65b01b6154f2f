;; A board image in the style of Guix's gnu/system/images/pine64.scm: an MBR disk whose ext4
;; root starts at 1 MiB, with U-Boot (u-boot-sunxi-with-spl.bin) written at 8 KiB.
;;
;;   ingot build examples/board-pine64.scm --root-tree ROOT --firmware-dir FIRMWARE
;;
;; FIRMWARE holds u-boot-sunxi-with-spl.bin, built for the board (ingot builds no packages).

(define-module (examples board-pine64)
  #:use-module (gnu bootloader)
  #:use-module (gnu bootloader u-boot)
  #:use-module (gnu image)
  #:use-module (gnu system)
  #:use-module (gnu system image)
  #:export (pine64-os pine64-image))

(define pine64-os
  (operating-system
    (host-name "pine64")
    (timezone "Etc/UTC")
    (bootloader (bootloader-configuration
                 (bootloader u-boot-pine64-lts-bootloader)
                 (targets '("/dev/mmcblk0"))))
    (kernel "/boot/Image")
    (kernel-arguments '("console=ttyS0,115200"))
    (file-systems (cons (file-system
                          (device (file-system-label "Guix_image"))
                          (mount-point "/")
                          (type "ext4"))
                        %base-file-systems))))

(define pine64-image
  (image
    (inherit (raw-with-offset-disk-image (* 1024 1024)))
    (name 'pine64.img)
    (platform "aarch64-linux")
    (operating-system pine64-os)))

pine64-image
