;; define*/lambda* as Guile has them: #:optional with and without defaults, #:key with
;; defaults that use earlier parameters, #:rest, a dotted rest and Guile's (. rest).
(define* (part label #:optional (size (* 2 1024 1024)) #:key (fs "ext4") (flags '()))
  (partition (label label) (size size) (file-system fs) (flags flags)))
(define* (many #:rest parts) parts)
(define (both first . more) (cons first more))
(define tail (lambda (. r) r))
(define size-of (lambda* (#:key (unit 1024) (count (* 2 unit))) (* unit count)))
(define* (opt a #:optional b) (list a b))

(unless (equal? (opt 1) '(1 #f)) (error "optional without default"))
(unless (= (size-of #:unit 512) (* 512 1024)) (error "key default from an earlier key"))

(image-without-os
  (format 'disk-image)
  (partitions (append (many (part "a") (part "b" 4096 #:fs "vfat"))
                      (both (part "c" #:flags '(boot)))
                      (tail (part "d" (size-of) #:fs "ext2" #:flags '(esp))))))
