;; A macro's template names a Guix constructor ingot does not know (service-type), and a
;; procedure's parameter has the same spelling: Steel renames the template's name for
;; hygiene inside define*'s lowering; it must still be an opaque unknown, known by the user's spelling.
(define-module (systems shadowed)
  #:export (wrap))

(define-syntax my:service-type
  (syntax-rules ()
    ((_ args ...) (service-type args ...))))

(define* (wrap service-type #:key (description "wrapped"))
  (my:service-type (inherit service-type) (description description)))
