;; error: five-mbr.scm:3:1: image: an MBR table holds at most 4 primary partitions, this image has 5
(define (p n) (partition (label n) (size (expt 2 20)) (file-system "ext2")))
(image
  (format 'disk-image)
  (operating-system #false)
  (partitions (list (p "a") (p "b") (p "c") (p "d") (p "e"))))
