;; error: ellipsis-as-value.scm:9:15: syntax error: `...` is not a value: outside a macro template it is Guile's ellipsis keyword
;; error: hint: a placeholder of a template left to fill in?
;; A config written as a template, its fields `(field ...)` left to fill in: one located error
;; naming the ellipsis (it was Steel's bare "syntax error: ...").
(use-modules (gnu))

(operating-system
  (host-name "template")
  (bootloader ...)
  (file-systems %base-file-systems))
