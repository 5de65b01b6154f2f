;; A user module of the namespace failure files: `helper` is private, the others exported.
(define-module (ns base)
  #:export (base-label base-host))

(define helper "private")

(define (base-label) (string-append "root-" helper))

(define base-host "box")
