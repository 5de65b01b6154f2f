;; Nested repetition in macro templates, one level per ellipsis, and the flat list that
;; Guile's `x ... ...` gives, built when the code runs (ingot also flattens it: ellipsis-flattened.scm).
(use-modules (gnu))

(define-syntax-rule (grouped (group flag ...) ...)
  '((group (flag ...)) ...))

(define-syntax-rule (all-flags (group flag ...) ...)
  (apply append (list (list flag ...) ...)))

(define-syntax flag-count
  (syntax-rules ()
    ((_ (group flag ...) ...) (length (apply append (list (list flag ...) ...))))))

(operating-system
  (host-name (symbol->string (car (cadr (grouped (console "a") (video "b" "c"))))))
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (kernel-arguments
   (append (all-flags (console "console=ttyS0" "quiet") (video "nomodeset") (none))
           (list (number->string (flag-count (a "x" "y") (b "z") (c))))
           (map (lambda (g) (string-join (cadr g) ","))
                (grouped (console "a") (video "b" "c")))))
  (file-systems %base-file-systems))
