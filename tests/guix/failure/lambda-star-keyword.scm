;; error: lambda-star-keyword.scm:10:34: sized: unrecognized keyword #:sise: did you mean #:size? (sized takes #:size)
;; A procedure written (define NAME (lambda* …)) is named by its define.
(use-modules (gnu image) (gnu system image))
(define sized
  (lambda* (label #:key (size (* 64 1024 1024)))
    (partition (label label) (size size) (file-system "ext4"))))
(image-without-os
 (format 'disk-image)
 (partitions (list (sized "root")
                   (sized "data" #:sise 1024))))
