;; An include inside an expression is the value of the file's last form, as Guile splices
;; the file's forms there (a data file of host names, a channel list); one in a procedure's
;; body too.
(use-modules (gnu))

(define host-names (include "ns/host-names.scm"))
(define (second-host) (cadr (include "ns/host-names.scm")))

(operating-system
  (host-name (string-append (car host-names) "-" (second-host)))
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (file-systems (cons (file-system (mount-point "/") (device (file-system-label "root"))
                                   (type "ext4"))
                      %base-file-systems)))
