;; error: overlap.scm:9:11: partition 2 (b): overlaps partition 1 (a)
(image
  (format 'disk-image)
  (operating-system #false)
  (partition-table-type 'gpt)
  (partitions
    (list (partition (label "a") (offset (* 1 (expt 2 20))) (size (* 8 (expt 2 20)))
                     (file-system "ext4"))
          (partition (label "b") (offset (* 4 (expt 2 20))) (size (* 8 (expt 2 20)))
                     (file-system "ext4")))))
