;; error: unbalanced-close.scm:3:14: syntax error: unexpected `)`
(define x
  (list 1 2)))
x
