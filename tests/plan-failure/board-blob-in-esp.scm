;; error: board-blob-in-esp.scm:9:19: bootloader-configuration: field bootloader: u-boot.itb would overlap partition 1 (GNU-ESP, bytes 1048576..42991616): the unmatched board writes it at byte 1065984: build with -t unmatched-raw
;; The SiFive Unmatched's U-Boot writes u-boot.itb at sector 2082, inside the ESP of an
;; efi-raw image (from 1 MiB): it would corrupt the ESP's FAT, so show refuses it without the
;; firmware; the board's own image type has partitions that hold the blobs.
(image
  (inherit efi-disk-image)
  (operating-system
    (operating-system (host-name "board") (file-systems %base-file-systems)
      (bootloader (bootloader-configuration (bootloader u-boot-sifive-unmatched-bootloader)))
      (kernel "/boot/vmlinuz"))))
