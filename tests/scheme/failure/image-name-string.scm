;; error: image-name-string.scm:2:37: image: field name: expected #f or a symbol such as 'my-image (got "my-image")
(image-without-os (format 'tarball) (name "my-image"))
