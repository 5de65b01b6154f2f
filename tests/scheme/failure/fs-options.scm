;; error: fs-options.scm:2:24: partition: field file-system-options: expected a list of strings, e.g. '("-O" "^64bit") (got "-O ^64bit")
(partition (label "x") (file-system-options "-O ^64bit"))
