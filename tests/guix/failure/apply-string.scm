;; error: apply-string.scm:6:38: not a procedure: "ttyS0"
;; error: hint: (port …) calls port, which is "ttyS0" here
;; A string applied as a procedure at run time (the lambda calls its argument) is named,
;; located at the call (Steel said "TailCall - Application not a procedure or function type
;; not supported"); the hint (apply-string-hint.scm) names the variable.
(define consoles (map (lambda (port) (port (string-append "console=" port))) '("ttyS0")))
