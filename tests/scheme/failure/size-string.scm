;; error: size-string.scm:5:34: partition: field size: expected a size in bytes (an exact non-negative integer) or 'guess (got "40M")
(image-without-os
  (format 'disk-image)
  (partitions
    (list (partition (label "x") (size "40M")))))
