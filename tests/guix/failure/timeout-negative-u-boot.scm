;; error: timeout-negative-u-boot.scm:9:69: bootloader-configuration: field timeout: -1 waits for a key in GRUB, but u-boot-pine64-lts-bootloader reads extlinux.conf, where Guix then writes PROMPT 0 and U-Boot boots at once; give 0 or more seconds
;; A U-Boot board has no "wait for a key" timeout: Guix's extlinux.conf gets PROMPT 0 for any
;; timeout that is not positive, and U-Boot then boots the default entry without a menu.
(use-modules (gnu) (gnu bootloader u-boot))

(operating-system
  (host-name "board")
  (bootloader (bootloader-configuration (bootloader u-boot-pine64-lts-bootloader)
                                        (targets '("/dev/mmcblk0")) (timeout -1)))
  (file-systems (cons (file-system
                        (device (file-system-label "board-root"))
                        (mount-point "/")
                        (type "ext4"))
                      %base-file-systems)))
