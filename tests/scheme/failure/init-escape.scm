;; error: init-escape.scm:3:21: write-file: "../etc/passwd" uses `..`; paths must stay inside the partition
(image-without-os (format 'disk-image)
  (partitions (list (partition (label "x")
                      (initializer (lambda (root) (write-file root "../etc/passwd" "x")))))))
