;; (guix utils)' target predicates as a config sees them when Guix loads it on x86_64 (no
;; cross target), Guile's sort (stable), string-replace-substring, symbol-append and acons.
(use-modules (gnu) (guix utils))

(define (flag v) (if v "yes" "no"))

(operating-system
  (host-name (if (target-x86-64?) "x86-host" "other-host"))
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (kernel-arguments
   (append
    (map flag (list (target-aarch64?) (target-linux?) (target-hurd?) (target-arm? "aarch64-linux")
                    (target-64bit?) (%current-target-system)))
    (list (%current-system)
          (string-join (map car (sort '(("b" . 2) ("a" . 9) ("c" . 2) ("d" . 1))
                                      (lambda (x y) (< (cdr x) (cdr y)))))
                       "")
          (string-replace-substring "console=ttyS0 console=ttyS0" "ttyS0" "hvc0")
          (symbol->string (symbol-append 'grub- 'efi))
          (car (car (acons "key" 1 '()))))))
  (file-systems %base-file-systems))
