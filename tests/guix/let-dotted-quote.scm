;; A quoted alist returned from a let (Steel's constant evaluator could not compile it: "Can't
;; convert from pair to expression!"), in a procedure too, and with a string holding a
;; non-ASCII character after the dot.
(use-modules (gnu))

(define %hosts (let ((table '(("work" . "ws-1") ("home" . "hé-2")))) table))

(define (lookup key)
  (let ((table '((a . "alpha")
                 (b . "beta"))))
    table))

(operating-system
  (host-name (assoc-ref %hosts "work"))
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (kernel-arguments (list (assoc-ref %hosts "home") (cdr (assq 'b (lookup 'b)))))
  (file-systems %base-file-systems))
