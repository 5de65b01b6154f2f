;; error: image-boolean.scm:2:37: image: field compression?: expected #t or #f (got "no")
(image-without-os (format 'iso9660) (compression? "no"))
