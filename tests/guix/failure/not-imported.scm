;; error: not-imported.scm:7:14: `base-host` is exported by (ns base), which is not imported here
;; (ns wrapper) uses (ns base); this file uses only (ns wrapper).
(use-modules (gnu) (ns wrapper))

(operating-system
  (inherit %hurd-default-operating-system)
  (host-name base-host))
