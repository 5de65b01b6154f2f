;; (srfi srfi-88)'s keyword procedures: a keyword made from a string is the one the reader
;; reads, and keyword arguments built that way reach a define* procedure.
(use-modules (gnu) (srfi srfi-88))

(define* (console #:key (port "ttyS0"))
  (string-append "console=" port))

(define (yes-no v) (if v "yes" "no"))

(operating-system
  (host-name "keywords")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (kernel-arguments
   (list (apply console (list (string->keyword "port") "hvc0"))
         (keyword->string #:speed)
         (symbol->string (keyword->symbol (symbol->keyword 'baud)))
         (yes-no (keyword? #:port))
         (yes-no (keyword? 'port))
         (yes-no (eq? (string->keyword "port") #:port))))
  (file-systems %base-file-systems))
