;; error: image-no-format.scm:2:1: image: field format: missing mandatory field
(image-without-os (partitions '()))
