;; error: missing-label.scm:3:3: partition: field label: missing mandatory field
(define p
  (partition
    (size 4096)))
p
