;; error: esp-not-fat.scm:7:11: partition 1 (esp): the esp flag needs a FAT file system
(image
  (format 'disk-image)
  (operating-system #false)
  (partition-table-type 'gpt)
  (partitions
    (list (partition (label "esp") (size (* 40 (expt 2 20))) (file-system "ext4")
                     (flags '(esp))))))
