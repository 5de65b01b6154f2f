;; error: options-as-list.scm:9:51: file-system: field options: expected a string or #f, not a list (got ("compress=zstd" "noatime"))
;; error: hint: write (options "compress=zstd,noatime")
;; Guix's file-system options are one string, as mount's -o takes them.
(use-modules (gnu))
(operating-system
  (host-name "options")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (device (file-system-label "root")) (mount-point "/")
                                   (type "btrfs") (options '("compress=zstd" "noatime")))
                      %base-file-systems)))
