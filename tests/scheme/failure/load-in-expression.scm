;; error: load-in-expression.scm:3:22: load: load and include work at top level only
;; load and include are evaluated where they stand at top level; inside an expression they are refused.
(define common (list (load "common.scm")))
