;; Loaded while (cycle a) is still loading: a top-level use of its `a` comes too early.
(define-module (cycle b)
  #:use-module (cycle a))
(define b (list a))
