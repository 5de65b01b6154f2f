;; A module whose top-level form stores a name it defines later (failure/module-forward.scm).
(define-module (ns early)
  #:export (early))

(define early (list later))

(define later "too late")
