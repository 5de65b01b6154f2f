;; error: flags-not-list.scm:2:24: partition: field flags: expected a list of the symbols boot and esp, e.g. '(boot) (got 'boot)
(partition (label "x") (flags 'boot))
