;; error: not-selected.scm:7:14: `base-host` is not in the #:select of (ns base)
;; #:select imports only the names it lists.
(use-modules (gnu) ((ns base) #:select (base-label)))

(operating-system
  (inherit %hurd-default-operating-system)
  (host-name base-host))
