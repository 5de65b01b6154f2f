;; error: unknown-field.scm:4:3: partition: field lable: no such field (got "data")
(partition
  (size 4096)
  (lable "data"))
