;; error: getenv-false-local-file.scm:7:20: local-file: field file: expected a file name (a string) (got #f)
;; error: hint: (getenv …) is #f in a definition: it reads no environment
;; A key file named by an environment variable: getenv is #f in a definition, so local-file
;; gets #f, and the hint says why (Guix with the variable unset stops the same way).
(use-modules (gnu))

(define %admin-key (local-file (getenv "SSH_PUBKEY")))

(operating-system
  (host-name "env")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (file-systems %base-file-systems))
