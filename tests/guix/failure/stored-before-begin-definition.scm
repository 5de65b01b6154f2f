;; error: stored-before-begin-definition.scm:5:34: `console-port` is used before its definition ran
;; A top-level value that takes a name a later `begin` defines: Guile stops there with
;; "Unbound variable", and so does ingot, rather than keep an opaque placeholder.
(use-modules (gnu))
(define %arguments (list "quiet" console-port))

(begin
  (define console-port "console=ttyS0"))
