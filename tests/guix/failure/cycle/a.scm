(define-module (cycle a)
  #:use-module (cycle b))
(define a 1)
