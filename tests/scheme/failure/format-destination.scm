;; error: format-destination.scm:2:1: format: the destination must be #f (return a string) or #t (print it), got 'port
(define x
  (format 'port "x"))
