;; A module that imports another while it loads (tests/guix/nested-modules.scm); both keep a
;; private `helper` of their own.
(define-module (nest outer)
  #:use-module (nest inner)
  #:export (outer-args))

(define helper "outer")

(define (outer-args) (list helper (inner-arg)))
