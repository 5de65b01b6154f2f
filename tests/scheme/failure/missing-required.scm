;; error: missing-required.scm:3:1: part: missing required argument label
(define* (part label #:key (size 4096)) (partition (label label) (size size)))
(part)
