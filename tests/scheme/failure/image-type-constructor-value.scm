;; error: image-type-constructor-value.scm:2:26: image-type: field constructor: expected a procedure (lambda (os) …) (got #<image>)
(image-type (name 'mine) (constructor efi-disk-image))
