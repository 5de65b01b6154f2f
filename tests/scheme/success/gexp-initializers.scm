;; A gexp initializer with build-side code: wrapping initialize-root-partition (as Guix's Hurd
;; image does) is the root initializer; other code is kept by its text and left empty.
(image-without-os
  (format 'disk-image)
  (partitions
   (list (partition
          (label "hurd-root")
          (file-system "ext2")
          (initializer #~(lambda* (#:rest args)
                           (apply initialize-root-partition
                                  (append args (list #:wal-mode? #f))))))
         (partition
          (label "other")
          (size (* 4 (expt 2 20)))
          (initializer #~(lambda (root . rest) (mkdir-p root)))))))
