;; error: image-size.scm:2:40: image: field size: expected a size in bytes (an exact non-negative integer) or 'guess (got 'auto)
(image-without-os (format 'disk-image) (size 'auto))
