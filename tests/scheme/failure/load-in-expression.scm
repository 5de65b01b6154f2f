;; error: load-in-expression.scm:3:22: load: inside an expression, load takes a literal path ("file.scm"); a computed one works at top level
;; Inside an expression, load of a literal path gives the file's value; a computed path is refused.
(define common (list (load (string-append "common" ".scm"))))
