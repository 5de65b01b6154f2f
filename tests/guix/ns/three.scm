;; A private `helper` that is a number, a macro whose template uses a private name, and quoted
;; and `case` data spelt like a private name.
(define-module (ns three)
  #:export (three-arg kinds label-of (inside-name . renamed-export)))

(define helper 3)

;; Exported under another name (Guile's `#:export ((inside . outside))`).
(define inside-name "renamed")

(define (three-arg) (string-append "three=" (number->string helper)))

(define (kinds x)
  (case x
    ((helper) "case-datum")
    (else (symbol->string 'helper))))

(define-syntax-rule (label-of x) (string-append "label-" x suffix))

(define suffix "-3")
