;; Guile's SRFI-13 string procedures, R7RS character classes and SRFI-1 list procedures that
;; configs call, with their values (each used to be an opaque placeholder, truthy in an `if`).
(use-modules (gnu) (srfi srfi-1) (srfi srfi-13))

(define host "work-laptop-2")

(define (yes-no v) (if v "yes" "no"))

(operating-system
    (host-name (if (string-contains host "laptop") "is-laptop" "not-laptop"))
    (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
    (kernel-arguments
     (list (number->string (string-contains host "laptop"))
           (yes-no (string-contains host "desktop"))
           (number->string (string-index host #\-))
           (yes-no (string-index host char-upper-case?))
           (string-join (string-tokenize "  a bb\tccc ") "+")
           (string-join (string-tokenize host char-alphabetic?) "+")
           (string-reverse "abc")
           (string-take host 4)
           (string-drop host 5)
           (string-pad "7" 3 #\0)
           (string-pad-right "ab" 4 #\.)
           (string-map char-upcase "up")
           (number->string (string-count host char-numeric?))
           (yes-no (string-every char-lower-case? "abc"))
           (yes-no (string-any char-numeric? "abc"))
           (fold-right string-append "" '("r" "i" "g" "h" "t"))
           (number->string (count even? '(1 2 4)))
           (string-join (map car (alist-delete "b" '(("a" . 1) ("b" . 2) ("c" . 3)))) ",")
           (number->string (assq-ref '((x . 5)) 'x))
           (number->string (digit-value #\8))))
    (file-systems %base-file-systems))
