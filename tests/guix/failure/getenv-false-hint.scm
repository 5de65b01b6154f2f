;; error: hint: (getenv …) is #f in a definition: it reads no environment
;; The hint of failure/getenv-false.scm's error.
(define machine (getenv "MACHINE"))
(define laptop? (string=? machine "laptop"))
