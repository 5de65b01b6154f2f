;; error: identity-arity.scm:2:1: identity: expected (identity VALUE), got 2 arguments
(define x
  (identity 1 2))
