;; error: getenv-false.scm:5:17: string=? needs a string here, got #f
;; getenv is #f in a definition (no environment); a builtin given it says so, not Steel's
;; conversion text.
(define machine (getenv "MACHINE"))
(define laptop? (string=? machine "laptop"))
