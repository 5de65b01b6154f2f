;; error: match-no-clause.scm:4:3: match: no matching pattern for (esp)
(use-modules (ice-9 match))
(define (only-pair x)
  (match x
    ((a b) a)))
(only-pair '(esp))
