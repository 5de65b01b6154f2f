;; The value of (load "file") inside an expression: an image whose operating-system is the last
;; form of another file, as a config that keeps its system in config.scm writes it. A load in
;; quoted data stays data.
(use-modules (gnu) (gnu image) (gnu system image))

(define MiB (expt 2 20))

(image
 (format 'disk-image)
 (operating-system (load "files/loaded-os.scm"))
 (name (string->symbol (string-append %loaded-root-label "-image")))
 (partitions
  (list
   (partition
    (size (* 40 MiB))
    (label (if (equal? '(load "files/none.scm") (list 'load "files/none.scm")) "GNU-ESP" "no"))
    (file-system "vfat")
    (flags '(esp))
    (initializer (gexp initialize-efi-partition)))
   (partition
    (size 'guess)
    (label root-label)
    (file-system "ext4")
    (flags '(boot))
    (initializer (gexp initialize-root-partition))))))
