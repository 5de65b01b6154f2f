;; error: unknown-keyword.scm:3:1: unrecognized keyword #:sise: did you mean #:size? (this procedure takes #:size)
;; A keyword the procedure does not take is an error, as in Guile (no #:allow-other-keys).
(define* (part label #:key (size 4096)) (partition (label label) (size size)))
(part "a" #:sise 8192)
