;; error: use-modules-forgotten-value.scm:6:1: the definition must end with an image or an operating-system, but its last expression is #<unknown (make-host-os …)>
;; error: hint: `make-host-os` is not defined here, but module (hosts) (tests/guix/failure/lib/hosts.scm) exports it: add (use-modules (hosts)) and -L tests/guix/failure/lib
;; A file written as a module that ends with a call of another module's procedure it does
;; not import: the hint says which module exports it.
(define-module (web))
(make-host-os "web")
