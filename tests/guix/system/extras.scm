;; A user module under a root Guile's own libraries use, `(system …)`
;; (tests/guix/system-root-module.scm): the file on the load path is the module.
(define-module (system extras)
  #:export (extra-kernel-arguments))

(define extra-kernel-arguments (list "quiet" "loglevel=3"))
