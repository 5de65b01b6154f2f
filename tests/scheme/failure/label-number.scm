;; error: label-number.scm:2:12: partition: field label: expected a string (got 42)
(partition (label 42))
