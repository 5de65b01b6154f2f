;; error: image-os-wrong.scm:2:29: image: field operating-system: expected an operating-system or #f (got "my-os")
(image (format 'disk-image) (operating-system "my-os"))
