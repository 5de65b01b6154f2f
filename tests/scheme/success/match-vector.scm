;; (ice-9 match) vector patterns: #(PAT …) matches a vector item by item, `...` repeats as in a
;; list pattern, and a vector inside a quasi-pattern is matched the same way.
(use-modules (ice-9 match))

(define (shape x)
  (match x
    (#() "empty-vector")
    (#(a b c) (string-append "three:" a b c))
    (#((? string? names) ...) (string-append "strings:" (string-join names "+")))
    (#(first rest ...) (string-append "first:" (number->string first) "/"
                                      (number->string (length rest))))
    (`(tag . #(,k ,v)) (string-append "tagged:" (symbol->string k) "=" v))
    (('pair . #(x ...)) (string-append "pair:" (number->string (apply + x))))
    ((a . b) "list")
    (_ "other")))

(define count
  (match-lambda
    (#(_ ...) "vector")
    (_ "not-a-vector")))

(operating-system
  (host-name "vectors")
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems %base-file-systems)
  (kernel-arguments
   (list (shape #()) (shape #("a" "b" "c")) (shape #("p" "q")) (shape #(1 2 3 4))
         (shape '(tag . #(mode "fast"))) (shape '(pair . #(1 2 3))) (shape '(x))
         (shape 5) (shape #(1 2)) (count #(1 2)) (count '(1 2)))))
