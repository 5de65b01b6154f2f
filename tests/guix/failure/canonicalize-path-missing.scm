;; error: canonicalize-path-missing.scm:4:13: canonicalize-path: no such file or directory: "no-such-dir"
;; A missing path inside the load path is Guile's error (it fails there too); the definition's
;; own tree is its to look at.
(define dir (canonicalize-path "no-such-dir"))
