;; error: content-too-big.scm:7:11: partition 1 (small): the content needs a ext4 file system of at least
(image
  (format 'disk-image)
  (operating-system #false)
  (partition-table-type 'mbr)
  (partitions
    (list (partition (label "small") (size (expt 2 20)) (file-system "ext4")
                     (initializer (lambda (root)
                                    (write-file root "big" (make-string 3000000 #\x))))))))
