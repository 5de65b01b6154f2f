;; error: format-destination.scm:2:1: format: the destination must be #f (return a string), #t or a port such as (current-error-port), got 'port
(define x
  (format 'port "x"))
