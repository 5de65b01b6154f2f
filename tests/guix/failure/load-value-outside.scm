;; error: load-value-outside.scm:4:32: /etc/config.scm: outside the load path (
;; A (load "…") inside an expression reads files as a top-level one does: not a host file.
(use-modules (gnu))
(define os (list 'system (load "/etc/config.scm")))
os
