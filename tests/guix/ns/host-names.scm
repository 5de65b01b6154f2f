;; Data for include-in-expression.scm: a file whose one form is a value.
'("atlas" "boreas")
