;; An unquote given as a macro's argument and placed by its template inside a quasiquote is
;; evaluated, as in Guile: Steel reads `,x` outside a quasiquote as data, so ingot makes it
;; Steel's evaluated unquote. One inside the argument's own quote stays data.
(define-syntax tagged (syntax-rules () ((_ e) `(tag e))))
(define-syntax-rule (spliced e) `(first e last))
(define console "ttyS0")

(operating-system
  (host-name "unquoted")
  (kernel-arguments
   (map (lambda (v) (if (string? v) v (format #f "~s" v)))
        (list (tagged ,(string-append "console=" console))
              (spliced ,@(list "a" "b"))
              (tagged '(q ,console)))))
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems (list (file-system (device (file-system-label "u-root"))
                                   (mount-point "/") (type "ext4")))))
