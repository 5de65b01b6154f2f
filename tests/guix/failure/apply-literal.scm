;; error: apply-literal.scm:4:14: not a procedure: "quiet"
;; A literal in operator position, a list written without `list` or a quote; the hint says how
;; a list is written.
(define args ("quiet" "splash"))
