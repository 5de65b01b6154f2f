;; Uses (ns base) without re-exporting it.
(define-module (ns wrapper)
  #:use-module (ns base)
  #:export (wrapped-host))

(define wrapped-host (string-append base-host "-wrapped"))
