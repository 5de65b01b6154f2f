;; A machine file over user modules: define-module with #:use-module, use-modules, and an
;; include relative to this file; (systems base) is loaded once though two modules use it.
(define-module (my machine)
  #:use-module (gnu)
  #:use-module (systems base))

(use-modules (systems extra)
             ((systems base) #:select (base-os)))

(include "files/included.scm")

(operating-system
  (inherit (base-os (string-append "box" %included-suffix)))
  (kernel-arguments extra-arguments))
