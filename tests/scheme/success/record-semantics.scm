;; define-record-type* semantics: fields evaluated in order, each bound for the
;; ones after it; (inherit …) copies what is not written; accessors and predicates.
(define base
  (partition
    (label "a")
    (size (if (string=? label "a") 1024 2048))
    (offset (* size 2))))

(define derived
  (partition
    (inherit base)
    (label "b")
    (flags (if (partition? base) '(boot) '()))))

(define relabelled
  (partition
    (inherit derived)
    (file-system (if (image? efi-disk-image) "fat32" "ext2"))
    (label (string-append (partition-label derived)
                          "-"
                          (number->string (partition-size base))))))

(image
  (name 'semantics)
  (format 'disk-image)
  (operating-system #false)
  (size (* 2 (expt 2 30)))
  (partition-table-type 'gpt)
  (shared-store? #true)
  (substitutable? #f)
  (partitions (list base derived relabelled)))
