;; error: lookup-unknown.scm:2:1: nope-raw: no such image type
(os->image my-os
  #:type
  (lookup-image-type-by-name 'nope-raw))
