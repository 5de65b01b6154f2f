;; error: size-negative.scm:2:24: partition: field size: expected a size in bytes (an exact non-negative integer) or 'guess (got -1)
(partition (label "x") (size -1))
