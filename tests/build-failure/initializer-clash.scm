;; error: initializer-clash.scm:6:11: partition: field initializer: etc: etc exists and is not a directory
;; A recorded initializer writes below a path it made a file.
(image-without-os
  (format 'disk-image)
  (partitions
    (list (partition
            (label "data")
            (initializer
              (lambda (root)
                (write-file root "etc" "a file\n")
                (write-file root "etc/motd" "under a file\n")))))))
