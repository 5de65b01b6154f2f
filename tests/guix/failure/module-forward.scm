;; error: early.scm:5:21: `later` is used before its definition ran
;; The error inside a module names the module's own spelling of the name.
(use-modules (gnu) (ns early))

(operating-system
  (inherit %hurd-default-operating-system)
  (host-name (car early)))
