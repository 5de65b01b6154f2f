(define-module (cycle b)
  #:use-module (cycle a))
(define b 2)
