;; error: hint: (port …) calls port, which is "ttyS0" here
;; The hint of failure/apply-string.scm's error.

(define consoles (map (lambda (port) (port (string-append "console=" port))) '("ttyS0")))
