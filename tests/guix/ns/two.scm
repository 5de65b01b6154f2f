;; Uses (ns one) and re-exports its `tag`; its own private `helper` is a procedure, and a
;; `#:key` parameter of the same name keeps its keyword.
(define-module (ns two)
  #:use-module (ns one)
  #:export (two-arg joined)
  #:re-export (tag))

(define (helper) "two")

(define (two-arg) (string-append "two=" (helper)))

(define* (joined #:key (helper "key") (sep ","))
  (string-append helper sep (tag "x")))
