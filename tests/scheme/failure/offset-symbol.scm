;; error: offset-symbol.scm:2:24: partition: field offset: expected an offset in bytes (an exact non-negative integer) (got 'start)
(partition (label "x") (offset 'start))
