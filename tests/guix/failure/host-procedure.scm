;; error: host-procedure.scm:4:29: gethostname is not available: definitions cannot read or change the environment
;; Guile's procedures that read the host are named as unavailable, not kept as opaque
;; placeholders.
(define name (string-append (gethostname) "-image"))
