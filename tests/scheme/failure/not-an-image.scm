;; error: not-an-image.scm:3:1: the definition must end with an image or an operating-system, but its last expression is 42
(define x 1)
42
