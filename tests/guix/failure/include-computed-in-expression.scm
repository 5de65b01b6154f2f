;; error: include-computed-in-expression.scm:6:20: include: inside an expression, include takes a literal path ("file.scm"); a computed one works at top level
;; An include inside an expression needs its file's name written as a string: ingot reads
;; the file before the form runs, as Guile's include reads it while expanding.
(use-modules (gnu))

(define host-names (include (string-append "ns" "/host-names.scm")))
(operating-system (host-name (car host-names)) (file-systems %base-file-systems))
