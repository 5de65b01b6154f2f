;; define-syntax-rule, as Guix's image.scm defines image-without-os.
(define-syntax-rule (my-image-without-os . fields)
  "Return an image without an operating system."
  (image (operating-system #false) . fields))

(define-syntax-rule (labelled n s)
  (partition (label n) (size s)))

(define-syntax-rule (all-labelled (name size) ...)
  (list (labelled name size) ...))

(my-image-without-os
  (format 'disk-image)
  (partitions (all-labelled ("a" 512) ("b" 1024))))
