;; error: unknown-in-field.scm:3:3: partition: field size: expected a size in bytes (an exact non-negative integer) or 'guess (got #<unknown data-size>)
(partition
  (size data-size)
  (label "data"))
