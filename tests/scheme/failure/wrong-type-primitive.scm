;; error: wrong-type-primitive.scm:3:10: Cannot convert steel value: 5 to steel string
(partition
  (label (string-append "data-" 5)))
