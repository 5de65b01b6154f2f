;; error: bad-clause.scm:3:3: partition: each clause must be (FIELD VALUE) (got (label))
(partition
  (label))
