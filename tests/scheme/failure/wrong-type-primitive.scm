;; error: wrong-type-primitive.scm:3:10: string-append needs a string here, got 5
(partition
  (label (string-append "data-" 5)))
