;; error: opaque-value-indirect.scm:7:10: an opaque value (a name not known to ingot: openssh-flavour) reached string-length, which needs a string here
;; An opaque value that reaches a builtin through a variable: the call names no unknown
;; name, so the message lists the unknown names of the text. (In a definition's value, the
;; definition would be kept opaque: see ../opaque-in-ignored-fields.scm.)
(define flavour (openssh-flavour "sans-x"))

(display (string-length flavour))
