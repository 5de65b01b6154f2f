;; error: module-ref-misspelt.scm:5:15: `%refs-nmae` is not defined in (ns refs)
;; error: hint: did you mean %refs-name?
;; (@@ …) of a name the module does not define: did-you-mean from all its names
;; (module-ref-misspelt-hint.scm).
(@@ (ns refs) %refs-nmae)
