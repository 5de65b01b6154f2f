;; raw-with-offset-disk-image is a procedure with an optional offset.
(define default (raw-with-offset-disk-image))
(define at-16m (raw-with-offset-disk-image (* 16 (expt 2 20))))
(image-without-os
 (format 'disk-image)
 (partitions (append (image-partitions default) (image-partitions at-16m)))
 (volatile-root? (image-volatile-root? default)))
