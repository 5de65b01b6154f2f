;; error: module-ref-missing.scm:4:4: module (ns nowhere) not found in
;; (@ …) of a module that is neither built in nor on the load path, as use-modules says.

(@ (ns nowhere) refs-os)
