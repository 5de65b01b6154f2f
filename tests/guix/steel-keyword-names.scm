;; `fn` and `defn` are ordinary names in Guile (Steel spells lambda and define so): a
;; parameter, a local variable and a top-level definition may be called so, and quoted they
;; are the symbols written. `λ` is lambda, in Guile as here.
(use-modules (gnu))

(define (call fn) (fn))
(define fn (lambda () "pebble"))
(define (twice f x) (f (f x)))
(define defn (let ((fn string-upcase)) (fn "stone")))

(operating-system
  (host-name (call fn))
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (kernel-arguments (list defn
                          (twice (λ (s) (string-append s "!")) "x")
                          (symbol->string 'fn)
                          (symbol->string (cadr '(fn defn)))
                          (symbol->string (cadr `(fn ,(car '(defn)))))))
  (file-systems (cons (file-system (device (file-system-label "stone")) (mount-point "/")
                                   (type "ext4"))
                      %base-file-systems)))
