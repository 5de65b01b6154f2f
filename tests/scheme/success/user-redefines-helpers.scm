;; A definition may reuse names the prelude defines; records keep working.
(define (find x) (string-append "found " x))
(define (every . args) #f)
(define (basename p) "nope")
(define any 42)

(image-without-os
  (format 'disk-image)
  (partitions (list (partition (label (find "data")) (flags '(boot))))))
