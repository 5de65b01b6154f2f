;; error: negate-not-procedure.scm:2:1: negate: expected a procedure, got 5
(define x
  ((negate 5) 1))
