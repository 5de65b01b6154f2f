;; error: hint: `machine-nmae` is not defined: did you mean machine-name?
;; The did-you-mean of a misspelt name inside a module offers the module's private names,
;; under their own spelling.
(use-modules (gnu) (ns misspelt))

misspelt-os
