;; error: use-modules-forgotten.scm:7:1: operating-system: (inherit …) expects an operating-system (got #<unknown (make-host-os …)>)
;; error: hint: `make-host-os` is not defined here, but module (hosts) (tests/guix/failure/lib/hosts.scm) exports it: add (use-modules (hosts)) and -L tests/guix/failure/lib
;; A file that calls a procedure of a module of its own without importing it: the hint names
;; the module file under the file's directory that exports it, and the -L its name needs
;; (Guile 3 names a module it has loaded: "Did you forget (use-modules …)?").
(use-modules (gnu))
(operating-system
  (inherit (make-host-os "web"))
  (host-name "web"))
