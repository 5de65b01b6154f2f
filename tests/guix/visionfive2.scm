;; A VisionFive 2 image: GPT with the "spl" and "uboot" partitions typed by their
;; GUIDs, then Guix's root partition.
(use-modules (gnu) (gnu image) (gnu bootloader u-boot) (gnu system image)
             (guix platforms riscv))

(define vf2-os
  (operating-system
    (host-name "visionfive2")
    (timezone "Etc/UTC")
    (bootloader (bootloader-configuration
                 (bootloader u-boot-starfive-visionfive2-bootloader)
                 (targets '("/dev/mmcblk0"))))
    (file-systems (cons (file-system
                          (device (file-system-label "Guix_image"))
                          (mount-point "/")
                          (type "ext4"))
                        %base-file-systems))
    (kernel-arguments (list "earlycon" "clk_ignore_unused"))
    (firmware '())))

(os+platform->image vf2-os riscv64-linux #:type visionfive2-image-type)
