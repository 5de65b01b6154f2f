;; error: copy-file: 
(image-without-os (format 'disk-image)
  (partitions (list (partition (label "x")
                      (initializer (lambda (root) (copy-file root "no-such-file" "a")))))))
