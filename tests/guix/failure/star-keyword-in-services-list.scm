;; error: star-keyword-in-services-list.scm:14:56: greeting: unrecognized keyword #:whom: did you mean #:who? (greeting takes #:who)
;; error: hint: greeting is defined at
;; The same mistake nested in a list of services given to names ingot keeps opaque.
(use-modules (gnu) (gnu services))
(define* (greeting #:key (who "world"))
  (string-append "hello " who "\n"))
(operating-system
  (host-name "k") (timezone "UTC") (locale "en_US.utf8")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (file-systems (cons (file-system (device (file-system-label "root")) (mount-point "/") (type "ext4"))
                      %base-file-systems))
  (services
   (list (simple-service 'greet etc-service-type
                         (list (list "greet" (greeting #:whom "you")))))))
