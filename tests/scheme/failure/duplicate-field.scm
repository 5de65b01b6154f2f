;; error: duplicate-field.scm:4:3: partition: field label: field given twice (got "b")
(partition
  (label "a")
  (label "b"))
