;; error: hint: `%refs-name` is private to (ns refs): (@@ (ns refs) %refs-name) reads it
;; The hint of failure/module-ref-private.scm's error.

(@ (ns refs) %refs-name)
