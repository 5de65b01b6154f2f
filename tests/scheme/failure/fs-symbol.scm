;; error: fs-symbol.scm:2:24: partition: field file-system: expected a string such as "ext4", not a symbol (got 'ext4)
(partition (label "x") (file-system 'ext4))
