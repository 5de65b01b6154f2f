;; error: canonicalize-path-outside.scm:4:14: canonicalize-path: / is outside the definition's own files (
;; error: ): a definition does not look at the rest of the host; add -L DIR to let it look in DIR
;; Outside its own files (load path, git work tree) it is refused whether the path exists.
(define root (canonicalize-path "/"))
