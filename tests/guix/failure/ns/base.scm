;; A user module of the namespace failure files: `helper` is private, the others exported.
(define-module (ns base)
  #:export (base-label base-host (base-inside . base-outside)))

(define helper "private")

(define (base-label) (string-append "root-" helper))

(define base-host "box")

;; Exported as `base-outside` only (failure/renamed-export-inside-name.scm).
(define base-inside "inside")
