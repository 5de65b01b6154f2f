;; error: arity-user-procedure.scm:4:39: part-label: function expected 1 arguments, found 2
(define (part-label n) (string-append "part-" n))
(image-without-os (format 'disk-image)
  (partitions (list (partition (label (part-label "a" "b"))))))
