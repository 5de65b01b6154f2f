;; error: offset-overflow.scm:6:21: partition 1 (a): offset 18446744073709550592 + size 4096 is past the largest disk ingot can address
(image
  (format 'disk-image)
  (operating-system #false)
  (partition-table-type 'gpt)
  (partitions (list (partition (label "a") (offset 18446744073709550592) (size 4096)
                               (file-system "unformatted")
                               (uuid (uuid "0fc63daf-8483-4772-8e79-3d69d8477de4"))))))
