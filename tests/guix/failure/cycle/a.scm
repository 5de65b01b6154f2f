;; Imports (cycle b), which imports this module back (failure/cyclic-module*.scm).
(define-module (cycle a)
  #:use-module (cycle b)
  #:export (a))
(define a 1)
