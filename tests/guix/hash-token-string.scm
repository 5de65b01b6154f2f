;; `"` ends a token in Guile: `#f"…"`, `#t"…"` and `#\p"…"` are two tokens each, as if a blank
;; stood between them; a `;` in such a string is no comment.
(use-modules (gnu))

(define flags (list #t"y" #f"n"))

(operating-system
  (host-name (format #f"~a" "pebble"))
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (kernel-arguments (list (format #f"~a;~a" "a" "b") (string #\p)"ebble"
                          (if (car flags) (cadr flags) "wrong")
                          (if (caddr flags) "wrong" (cadddr flags))
                          (cadr '(#t"x" #f"y"))))
  (file-systems (cons (file-system (device (file-system-label "stone")) (mount-point "/")
                                   (type "ext4"))
                      %base-file-systems)))
