;; error: hint: `partiton` is not defined: did you mean partition?
;; A misspelt record form in an image: the form (a macro) is offered, not partition?.
(use-modules (gnu image) (gnu system image))
(image-without-os
  (format 'disk-image)
  (partitions (list (partiton (size (* 1 (expt 2 20))) (label "data")
                              (file-system "ext4")))))
