;; A user module of tests/guix/namespaces.scm: its `helper` is private (a string here).
(define-module (ns one)
  #:use-module (gnu)
  #:export (one-arg))

(define helper "one")

(define (one-arg) (string-append "one=" helper))

(define-public (tag x) (string-append helper ":" x))
