;; error: called-before-definition.scm:3:26: `size-of` is called before its definition ran
;; A procedure may use a later definition, but only once that definition has run.
(define (root-size) (* 2 (size-of 'root)))
(define the-size (root-size))
(define (size-of x) 1024)
(image-without-os (format 'disk-image)
  (partitions (list (partition (size the-size)))))
