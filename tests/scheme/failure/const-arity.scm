;; error: const-arity.scm:2:1: const: expected (const VALUE), got 0 arguments
(define x
  (const))
