;; error: arity-in-helper.scm:10:20: sized-partition: function expected 2 arguments, found 1
;; A helper procedure called with too few arguments at the top level.
(use-modules (gnu image) (gnu system image))

(define (sized-partition label size)
  (partition (label label) (size size)))

(image-without-os
 (format 'disk-image)
 (partitions (list (sized-partition "data"))))
