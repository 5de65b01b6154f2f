;; error: unbalanced-open.scm:2:1: syntax error: this `(` is never closed
(image-without-os
  (format 'disk-image)
  (partitions (list esp-partition
                    root-partition))
