;; error: image-type-name.scm:2:13: image-type: field name: expected a symbol (got "mine")
(image-type (name "mine") (constructor (lambda (os) os)))
