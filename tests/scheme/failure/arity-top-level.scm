;; error: arity-top-level.scm:3:1: make-part: function expected 2 arguments, found 1
(define (make-part label size) (partition (label label) (size size)))
(make-part "lonely")
