;; error: module-ref-private.scm:5:14: `%refs-name` is not exported by (ns refs)
;; error: hint: `%refs-name` is private to (ns refs): (@@ (ns refs) %refs-name) reads it
;; (@ …) reads only an exported name; the hint (module-ref-private-hint.scm) points at (@@ …).

(@ (ns refs) %refs-name)
