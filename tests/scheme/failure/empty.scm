;; error: empty.scm: nothing to evaluate
