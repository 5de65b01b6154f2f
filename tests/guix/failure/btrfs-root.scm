;; error: btrfs-root.scm:6:5: partition: field file-system: ingot does not build btrfs file systems (Guix does)
(use-modules (gnu image) (gnu system image))

(define btrfs-root
  (partition (inherit root-partition)
    (file-system "btrfs")))

(image-without-os
 (format 'disk-image)
 (partitions (list btrfs-root)))
