;; A user module (of tests/guix/ellipsis-flattened.scm) exporting a macro whose template
;; flattens with `... ...`.
(define-module (ns flatten)
  #:export (module-arguments))

(define-syntax-rule (module-arguments (group argument ...) ...)
  (list argument ... ...))
