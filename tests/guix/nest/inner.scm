;; Loaded while (nest outer) is loading (tests/guix/nested-modules.scm).
(define-module (nest inner)
  #:export (inner-arg))

(define helper "inner")

(define (inner-arg) helper)
