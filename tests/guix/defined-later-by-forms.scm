;; Procedures that refer to names the file defines later without a plain `define`: inside a
;; `begin`, by a macro of the file's own, and by `define-values`. As in Guile, each call made
;; after those forms ran sees their values.
(use-modules (gnu))

(define-syntax-rule (define-both first second value)
  (begin
    (define first value)
    (define second value)))

(define (console-arguments) (list console-name console-speed))
(define (twin-arguments) (list twin-a twin-b))
(define (pair-arguments) (list pair-left pair-right))

(begin
  (define console-name "console=ttyS0")
  (define console-speed "115200"))
(define-both twin-a twin-b "twin")
(define-values (pair-left pair-right) (values "left" "right"))

(operating-system
  (host-name "later")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (kernel-arguments (append (console-arguments) (twin-arguments) (pair-arguments)))
  (file-systems %base-file-systems))
