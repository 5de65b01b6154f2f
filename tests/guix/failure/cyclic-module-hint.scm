;; error: hint: Guile stops here too (Unbound variable: a): the modules import each other ((cycle a) -> (cycle b) -> (cycle a))
;; The hint of failure/cyclic-module.scm's error names the cycle.
(use-modules (cycle a))
