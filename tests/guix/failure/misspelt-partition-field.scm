;; error: misspelt-partition-field.scm:10:29: partition: field lable: no such field (got "data")
;; An image file with a misspelt partition field.
(use-modules (gnu image) (gnu system image))

(image
 (inherit efi-disk-image)
 (operating-system #f)
 (partitions (append (image-partitions efi-disk-image)
                     (list (partition
                            (lable "data")
                            (size (* 64 (expt 2 20))))))))
