;; error: steel-keyword-name-message.scm:6:25: not a procedure: "not a procedure"
;; error: (fn …) calls fn, which is "not a procedure" here
;; A message names `fn` as the user wrote it, not ingot's internal spelling of it.
(use-modules (gnu))

(define (apply-to fn x) (fn x))
(define host (apply-to "not a procedure" fn))

(operating-system
  (host-name host)
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (file-systems %base-file-systems))
