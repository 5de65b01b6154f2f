;; A module renaming a built-in module's procedure over a name that module also has
;; (tests/guix/select-rename-built-in.scm): `drop` is srfi-1's `delete` here.
(define-module (ns renamed)
  #:use-module ((srfi srfi-1) #:select ((delete . drop)))
  #:export (module-args))

(define module-args (drop "two" (list "one" "two" "three")))
