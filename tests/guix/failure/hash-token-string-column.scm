;; error: hash-token-string-column.scm:5:39: string-append
;; After `#f"…"` (read as two tokens, with a blank ingot puts between them) columns are still
;; the file's.
(use-modules (gnu))
(define name (list #f"a" #t"b" #\c"d" (string-append "e" 3)))

(operating-system
  (host-name "pebble")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (file-systems %base-file-systems))
