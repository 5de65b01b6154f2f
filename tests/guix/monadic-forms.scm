;; Monadic code of (guix monads) and (guix store) in a config: its value is a procedure of
;; the store, which ingot does not have, so the forms are kept as written. Their bodies are
;; Guile lambda bodies, where an internal define is allowed, and use names only the monad
;; binds (`return`).
(use-modules (gnu) (guix monads) (guix store) (guix gexp))

(define (motd-text name)
  (mlet %store-monad ((greeting (return "hello")))
    (define line (string-append greeting ", " name))
    (return line)))

(define (two-steps)
  (mbegin %store-monad
    (return 1)
    (return 2)))

(define cached (with-store store (run-with-store store (motd-text "x"))))

(operating-system
  (host-name "monads")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (file-systems (cons (file-system (mount-point "/") (device (file-system-label "root"))
                                   (type "ext4"))
                      %base-file-systems)))
