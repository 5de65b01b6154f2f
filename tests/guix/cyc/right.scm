;; The other half of the cycle of tests/guix/module-cycle.scm.
(define-module (cyc right)
  #:use-module (cyc left)
  #:export (right-label))

(define (right-label) (string-append "right-of-" left-name))
