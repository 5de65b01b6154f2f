;; error: syntax-case-procedural.scm:11:8: syntax error: macro define-bracketed: this clause's output runs code while the macro expands (it is not a #'template)
;; A syntax-case transformer that computes a new identifier (datum->syntax): ingot has no
;; evaluator at expansion time, so it is refused where the code starts, not misread.
(use-modules (gnu))

(define-syntax define-bracketed
  (lambda (x)
    (syntax-case x ()
      ((_ name value)
       ;; The computed name is <name>.
       (let ((id (datum->syntax #'name
                  (string->symbol (string-append "<" (symbol->string (syntax->datum #'name)) ">")))))
         (with-syntax ((id id))
           #'(define id value)))))))

(define-bracketed host "box")

(operating-system
  (host-name <host>)
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems %base-file-systems))
