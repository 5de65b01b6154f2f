;; error: b.scm:4:17: `a` is used before its definition ran
;; error: hint: Guile stops here too (Unbound variable: a): the modules import each other ((cycle a) -> (cycle b) -> (cycle a))
;; Modules that import each other load as in Guile, but (cycle b) uses (cycle a)'s `a` at its
;; top level, before (cycle a) has defined it.
(use-modules (cycle a))
