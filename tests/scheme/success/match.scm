;; (ice-9 match) as configs use it: every result below lands in kernel-arguments.
(use-modules (ice-9 match))

(define (describe x)
  (match x
    (() "empty")
    (#t "true")
    (42 "forty-two")
    ("on" "string-on")
    (#:flag "keyword")
    ('quiet "quoted-symbol")
    ((? string? s) (string-append "string:" s))
    (('console . (? string? tty)) (string-append "console=" tty))
    (`(set ,key ,value) (string-append (symbol->string key) "=" value))
    ((and (? list?) (= length 3)) "three-items")
    (((? symbol? names) ...) (string-join (map symbol->string names) "+"))
    ((head tail ..1) (string-append "at-least-two:" (number->string (length tail))))
    (_ "other")))

(define pair-up
  (match-lambda
    ((a . b) (string-append a "/" b))
    (x (string-append "single/" x))))

(define count-args
  (match-lambda*
    (() "none")
    ((one) (string-append "one:" one))
    ((first rest ...) (string-append "many:" first (number->string (length rest))))))

(define (last-two lst)
  (match lst
    ((init ... a b) (string-append (number->string (length init)) ":" a b))))

(define (fallthrough x)
  (match x
    ((? number? n) (=> skip) (if (> n 10) "big" (skip)))
    (_ "small-or-not-a-number")))

(define (alternatives x)
  (match x
    ((or ('ext4 label) ('ext2 label)) (string-append "ext:" label))
    ((and (? pair?) (not ('vfat . _))) "pair-not-vfat")
    (_ "neither")))

(define lets (match-let (((a b) '("x" "y")) ((c) '("z"))) (string-append a b c)))
(define lets* (match-let* (((a . rest) '("p" "q")) ((b) rest)) (string-append a b)))

(operating-system
  (host-name "matcher")
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems %base-file-systems)
  (kernel-arguments
   (list (describe '()) (describe #t) (describe 42) (describe "on") (describe #:flag)
         (describe 'quiet) (describe "ttyS0") (describe '(console . "tty1"))
         (describe '(set root "/dev/sda")) (describe '(1 2 3)) (describe '(a b))
         (describe '(1 2)) (describe 7)
         (pair-up '("a" . "b")) (pair-up "c")
         (count-args) (count-args "x") (count-args "y" 1 2)
         (last-two '("0" "1" "a" "b"))
         (fallthrough 11) (fallthrough 3)
         (alternatives '(ext2 "root")) (alternatives '(btrfs . 1)) (alternatives '(vfat . 1))
         lets lets*)))
