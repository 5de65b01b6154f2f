;; `x ... ...` in macro templates flattens one level of repetition, as in Guile: in quoted
;; data under quasiquote, in a call's arguments, with a custom ellipsis, and in a macro of a
;; user module. Guile gives these exact values.
(use-modules (gnu) (ns flatten))

(define-syntax-rule (all-parts (name part ...) ...)
  (quasiquote (begin-parts part ... ... end-parts)))

(define-syntax joined
  (syntax-rules ::: ()
    ((_ (name piece :::) :::) (string-append piece ::: :::))))

(define parts (all-parts (a "x" "y") (b) (c "z")))

(operating-system
  (host-name (joined (first "flat") (none) (second "-" "host")))
  (kernel-arguments
   (append (map (lambda (p) (if (symbol? p) (symbol->string p) p)) parts)
           (module-arguments (console "console=ttyS0" "console=tty0") (quiet "quiet"))))
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (file-systems (cons (file-system (mount-point "/") (device (file-system-label "root"))
                                   (type "ext4"))
                      %base-file-systems)))
