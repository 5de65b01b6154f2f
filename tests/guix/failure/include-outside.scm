;; error: include-outside.scm:3:10: /
;; Only .scm files inside the load path (here this file's directory) may be included.
(include "../../scheme/success/defaults.scm")
