;; error: match-error-in-body.scm:6:44: partition: field size
;; A wrong field inside a match body is located where it is written, not in generated code.
(use-modules (ice-9 match))
(define (part x)
  (match x
    ((label size) (partition (label label) (size "big")))))
(image (format 'disk-image) (partitions (list (part '("root" 1)))))
