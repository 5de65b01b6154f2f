;; Quoted and quasiquoted data may name `require` (elisp for an Emacs configuration holds
;; `(require 'feature)`), also when a macro's template does the quasiquoting of some of what it
;; is given; the unquoted parts are code as usual. Steel's internal names are data there too.
(use-modules (gnu))

(define-syntax-rule (emacs-bits (pkg ...) form ...)
  (list (list pkg ...) (quasiquote (form ...))))

(define bits
  (emacs-bits ("magit" "org") (require 'project) (setq depth 3) (require 'org-protocol)))

(define plain '((require (quote project)) (#%require pebble) (require-builtin stone)))

(define (heads forms) (map (lambda (f) (symbol->string (car f))) forms))

(operating-system
  (host-name "pebble")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (kernel-arguments (append (car bits)
                            (heads (cadr bits))
                            (list (number->string (list-ref (list-ref (cadr bits) 1) 2)))
                            (heads plain)
                            (heads `((require ,(car (car bits)))))
                            (list (number->string (cadr `(require ,(+ 1 2)))))))
  (file-systems (cons (file-system (device (file-system-label "stone")) (mount-point "/")
                                   (type "ext4"))
                      %base-file-systems)))
