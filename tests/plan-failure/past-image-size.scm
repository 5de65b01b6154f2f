;; error: past-image-size.scm:8:11: partition 1 (a): ends at 9437184, past the image size 4194304
(image
  (format 'disk-image)
  (operating-system #false)
  (size (* 4 (expt 2 20)))
  (partition-table-type 'mbr)
  (partitions
    (list (partition (label "a") (offset (expt 2 20)) (size (* 8 (expt 2 20)))
                     (file-system "ext4")))))
