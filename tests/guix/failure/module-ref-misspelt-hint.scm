;; error: hint: did you mean %refs-name?
;; The hint of failure/module-ref-misspelt.scm's error.

(@@ (ns refs) %refs-nmae)
