;; A module exporting a keyword procedure with (ice-9 optargs)' define*-public
;; (tests/guix/define-star-public.scm).
(define-module (ns optargs)
  #:use-module (ice-9 optargs))

(define*-public (console-arguments #:key (port "ttyS0") (speed 115200))
  (list (string-append "console=" port "," (number->string speed))))
