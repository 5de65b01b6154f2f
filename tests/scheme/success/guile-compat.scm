;; Guile and Guix vocabulary: module forms, #true/#false, keywords, cut, cons*,
;; define-public, quasiquote, srfi-1, format, gexps in data, and names ingot does
;; not know at all.
(define-module (my images compat)
  #:use-module (gnu)
  #:use-module ((srfi srfi-1) #:select (fold))
  #:autoload (gnu packages linux) (linux-libre)
  #:export (compat-image))
(use-modules (gnu image) (gnu system image) (srfi srfi-26))
(use-service-modules networking ssh)
(use-package-modules certs)

(define-public %label-prefix "cmp")
(define (label n) (format #f "~a-~a" %label-prefix n))
(define make-part (cut (lambda (l s) (partition (label l) (size s))) <> 4096))
(define sizes `(1024 ,(* 2 1024) ,@(list 3072)))
(define activation
  #~(begin (use-modules (guix build utils)) (mkdir-p #$output)))

(define compat-image
  (image-without-os
   (format 'disk-image)
   (compression? #false)
   (volatile-root? #true)
   (partitions (cons* (make-part (label 1))
                      (make-part (label 2))
                      (map (lambda (s n)
                             (partition (label (label n)) (size s)))
                           (filter (negate (cut = 2048 <>)) sizes)
                           (iota 2 3))))))

(unless (and (list? activation) (eq? (car activation) 'begin))
  (error "gexps read as data"))
(unless (= 6144 (fold + 0 sizes)) (error "fold"))
(unless (equal? (assq 'b '((a . 1) (b . 2))) '(b . 2)) (error "assq"))
(unless (string-prefix? "cmp" (label 9)) (error "string-prefix?"))
(unless (equal? (delete-duplicates '(1 2 1 3)) '(1 2 3)) (error "delete-duplicates"))
(unless (equal? (filter-map (lambda (x) (and (odd? x) (* x x))) '(1 2 3)) '(1 9)) (error "filter-map"))
(unless (= 2 (list-index even? '(1 3 4))) (error "list-index"))
(unless (equal? (basename "/a/b.scm") "b.scm") (error "basename"))
compat-image
