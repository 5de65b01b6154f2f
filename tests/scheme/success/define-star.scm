;; define* and lambda* with plain formals, as Guile writes them.
(define* (sized name size)
  (partition (label name) (size size)))
(define double (lambda* (x) (* 2 x)))
(image-without-os (format 'disk-image)
  (partitions (list (sized "a" (double 512)))))
