;; syntax-case macros whose clauses are templates: a transformer for define-syntax, one
;; with a literal and an ellipsis, a (syntax …) output, a quasisyntax without #, and one
;; bound by let-syntax, each formatted the way Guile code usually is.
(use-modules (gnu))

(define-syntax kernel-flags
  (lambda (stx)
    ;; A comment between the lambda and its syntax-case.
    (syntax-case stx (quiet)
      ((_ quiet flag ...)
       #'(cons "quiet" (list flag ...)))
      ((_ flag ...)
       (syntax (list flag ...))))))

(define-syntax host
  (lambda (x)
    (syntax-case x ()
      ((_ site n) #`(string-append site "-" (number->string n))))))

(operating-system
  (host-name (let-syntax ((pick (lambda (x)
                                  (syntax-case x ()
                                    ((_ a b) #'b)))))
               (pick "unused" (host "lab" 7))))
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (kernel-arguments (append (kernel-flags quiet "console=ttyS0")
                            (kernel-flags "nomodeset")))
  (file-systems %base-file-systems))
