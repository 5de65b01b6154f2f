;; Macros bound for one expression (let-syntax, letrec-syntax with a recursive rule), and
;; Guile's %load-path and search-path finding a module file next to this definition.
(use-modules (gnu))

(define %modules-root
  (letrec-syntax ((parent (syntax-rules ()
                            ((_ f) (dirname f))
                            ((_ f x more ...) (dirname (parent f more ...)))))
                  (first-found (syntax-rules ()
                                 ((_ (file levels ...) rest ...)
                                  (let ((hit (search-path %load-path file)))
                                    (if hit
                                        (parent hit levels ...)
                                        (first-found rest ...))))
                                 ((_) #f))))
    (first-found ("no/such/file.scm" no/)
                 ("systems/base.scm" systems/))))

(define swapped
  (let-syntax ((swap (syntax-rules () ((_ a b) (list b a)))))
    (swap "second" "first")))

(operating-system
  (host-name (string-append (if (string? %modules-root) "found" "lost")
                            "-" (car swapped)))
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (kernel-arguments (list (if (search-path %load-path "absent.scm") "absent" "none")
                          (if (equal? %modules-root (dirname (current-filename))) "root" "other")))
  (file-systems %base-file-systems))
