;; error: unknown-keyword.scm:6:11: part: unrecognized keyword #:sise: did you mean #:size? (part takes #:size)
;; error: unknown-keyword.scm:5:1
;; error: hint: part is defined at
;; A keyword the procedure does not take is an error, as in Guile (no #:allow-other-keys).
(define* (part label #:key (size 4096)) (partition (label label) (size size)))
(part "a" #:sise 8192)
