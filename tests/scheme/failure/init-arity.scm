;; error: init-arity.scm:3:78: function expected 2 arguments, found 1
(image-without-os (format 'disk-image)
  (partitions (list (partition (label "x") (initializer (lambda (root extra) #t))))))
