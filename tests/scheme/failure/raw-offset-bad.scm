;; error: raw-offset-bad.scm:2:1: partition: field offset: expected an offset in bytes (an exact non-negative integer) (got "16M")
(define img
  (raw-with-offset-disk-image "16M"))
img
