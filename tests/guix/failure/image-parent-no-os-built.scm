;; error: image-parent-no-os-built.scm:6:3: image: field operating-system: missing mandatory field
;; image-type: disk-image
;; A parent image without an operating-system clause may be inherited from (Guix 1.3), but
;; the image ingot builds must have one.
(define no-system
  (image
    (format 'disk-image)
    (partitions (list (partition (size (* 4 1024 1024)) (label "data") (file-system "ext4"))))))
no-system
