;; error: image-type-constructor.scm:2:1: image-type: field constructor: missing mandatory field
(image-type (name 'mine))
