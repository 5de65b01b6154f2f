;; guile-gcrypt's modules are always on Guix's load path: (gcrypt pk-crypto) is a built-in
;; module whose names are opaque, as Guix's package modules are. Its value here only feeds a
;; service's configuration, which ingot does not run.
(use-modules (gnu) (gcrypt pk-crypto) (gcrypt hash))
(use-service-modules base)

(define signing-key
  (plain-file "signing.pub"
              (canonical-sexp->string
               (sexp->canonical-sexp '(public-key (ecc (curve Ed25519) (q #vu8(9 9 9))))))))

(operating-system
  (host-name "keyed")
  (services (modify-services %base-services
              (guix-service-type config =>
                (guix-configuration (inherit config)
                  (authorized-keys (cons signing-key %default-authorized-guix-keys))))))
  (bootloader (bootloader-configuration
                (bootloader grub-bootloader)
                (targets (list "/dev/vda"))))
  (file-systems (cons (file-system
                        (mount-point "/")
                        (device (file-system-label "keyed-root"))
                        (type "ext4"))
                      %base-file-systems)))
