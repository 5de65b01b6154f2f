(define-module (systems extra)
  #:use-module (systems base))

(define-public extra-arguments '("quiet" "console=ttyS0"))
