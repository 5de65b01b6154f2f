;; error: getenv-false.scm:6:17: string=? needs a string here, got #f
;; error: hint: (getenv …) is #f in a definition: it reads no environment
;; getenv is #f in a definition (no environment); a builtin given it says so, not Steel's
;; conversion text.
(define machine (getenv "MACHINE"))
(define laptop? (string=? machine "laptop"))
