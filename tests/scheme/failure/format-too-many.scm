;; error: format-too-many.scm:2:1: format: too many arguments for "~a", left over: (2)
(define x
  (format #f "~a" 1 2))
