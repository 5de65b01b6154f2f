;; A configuration record ingot does not know, whose fields are named like ingot's records
;; (image, partition, bootloader, operating-system): its clauses are kept as (FIELD VALUE) and
;; a name ingot lacks inside a value is an opaque value, found however deep the unknown calls
;; nest; the accessors give the values back.
(use-modules (gnu))

(define splash
  (plymouth-like-configuration
   (image (file-append %art-repository "/splash.png"))
   (partition (partition-finder "data"))
   (bootloader (chain-to "next"))
   (operating-system (describe-os "guest"))))

(define nested (outer-configuration (image (inner-configuration (partition (deep-value 7))))))

(operating-system
  (host-name "splash")
  (kernel-arguments
   (list (if (string? (plymouth-like-configuration-bootloader splash)) "string" "opaque")
         (if (equal? nested nested) "kept" "lost")))
  (bootloader (bootloader-configuration
               (bootloader grub-bootloader)
               (targets '("/dev/vda"))))
  (services (list (service plymouth-like-service-type splash)))
  (file-systems (cons (file-system
                        (device (file-system-label "splash-root"))
                        (mount-point "/")
                        (type "ext4"))
                      %base-file-systems)))
