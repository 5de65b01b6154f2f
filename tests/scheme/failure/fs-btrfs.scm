;; error: fs-btrfs.scm:2:24: partition: field file-system: ingot does not build btrfs file systems (Guix does); use one of ext2 ext3 ext4 vfat fat16 fat32 unformatted (got "btrfs")
(partition (label "x") (file-system "btrfs"))
