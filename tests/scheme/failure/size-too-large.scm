;; error: size-too-large.scm:3:44: partition: field size: out of range (0 to 2^64-1) (got 36893488147419103232)
(image-without-os (format 'disk-image)
  (partitions (list (partition (label "x") (size (expt 2 65))))))
