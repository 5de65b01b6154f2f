;; error: firmware-blob-missing.scm:4:1: firmware file "u-boot-sunxi-with-spl.bin" not found
;; args: -t pine64-raw
;; A board bootloader whose firmware directory lacks its blobs.
(operating-system
  (host-name "p")
  (kernel (local-file "files/vmlinuz"))
  (firmware-directory "files/firmware")
  (bootloader (bootloader-configuration (bootloader u-boot-pine64-lts-bootloader)))
  (file-systems %base-file-systems))
