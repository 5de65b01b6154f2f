;; error: canonicalize-path-outside.scm:4:14: canonicalize-path is not available: definitions cannot read or write host files
;; Outside the load path canonicalize-path is refused whether the path exists or not: a
;; definition does not look at the host.
(define root (canonicalize-path "/"))
