;; error: module-ref-private.scm:4:14: `%refs-name` is not exported by (ns refs)
;; (@ …) reads only an exported name; the hint (module-ref-private-hint.scm) points at (@@ …).

(@ (ns refs) %refs-name)
