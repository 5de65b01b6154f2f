;; error: match-bad-clause.scm:5:5: syntax error: match: this clause has no body
(use-modules (ice-9 match))
(define (f x)
  (match x
    ((a b))
    (_ 1)))
