;; error: flags-unknown.scm:2:24: partition: field flags: expected a list of the symbols boot and esp, e.g. '(boot) (got (bootable))
(partition (label "x") (flags '(bootable)))
