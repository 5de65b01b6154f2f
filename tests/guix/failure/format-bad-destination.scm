;; error: format-bad-destination.scm:4:1: format: the destination must be #f (return a string), #t or a port such as (current-error-port), got "out"
;; A destination that is no port and no boolean is still refused.
(use-modules (gnu))
(format "out" "~a" 1)
