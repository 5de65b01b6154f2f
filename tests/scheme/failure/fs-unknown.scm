;; error: fs-unknown.scm:2:24: partition: field file-system: expected one of "ext2" "ext3" "ext4" "vfat" "fat16" "fat32" "unformatted" (got "ntfs")
(partition (label "x") (file-system "ntfs"))
