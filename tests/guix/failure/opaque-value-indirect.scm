;; error: opaque-value-indirect.scm:6:15: an opaque value (a name not known to ingot: openssh-flavour) reached string-length, which needs a string here
;; An opaque value that reaches a builtin through a variable: the call names no unknown
;; name, so the message lists the unknown names of the text.
(define flavour (openssh-flavour "sans-x"))

(define width (string-length flavour))
