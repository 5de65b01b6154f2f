;; error: match-unsupported.scm:4:5: match: ingot does not support (ice-9 match); write the test with cond, car and cdr
(define (first-label parts)
  (partition-label
    (match parts
      ((first . rest) first))))
(first-label (list esp-partition))
