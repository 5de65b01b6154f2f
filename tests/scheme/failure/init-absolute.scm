;; error: init-absolute.scm:3:21: mkdir-p: "/etc" is absolute; paths are relative to the partition root
(image-without-os (format 'disk-image)
  (partitions (list (partition (label "x") (initializer (lambda (root) (mkdir-p root "/etc")))))))
