;; error: module cycle: (cycle a) -> (cycle b) -> (cycle a)
(use-modules (cycle a))
