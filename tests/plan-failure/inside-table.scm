;; error: inside-table.scm:7:11: partition 1 (a): offset 8192 starts inside the partition table, which takes the first 17408 bytes
(image
  (format 'disk-image)
  (operating-system #false)
  (partition-table-type 'gpt)
  (partitions
    (list (partition (label "a") (offset 8192) (size (* 8 (expt 2 20)))
                     (file-system "ext4")))))
