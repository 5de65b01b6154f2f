;; error: initializer-number.scm:2:24: partition: field initializer: expected (gexp initialize-root-partition), #f, or a procedure (lambda (root) …) (got 42)
(partition (label "x") (initializer 42))
