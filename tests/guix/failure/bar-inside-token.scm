;; error: bar-inside-token.scm:9:10: require-builtin is not available: definitions cannot load Steel modules
;; A bar inside a token is one of its characters (`'a|`), and `|…|` symbols start only at a
;; token's start, as Steel reads them: the list between two such bars is code Steel runs, so
;; it is checked as code (it was read as one long symbol and ran unchecked).
(use-modules (gnu))

(define hidden
  (list 'a|
        (require-builtin steel/process) 'b|c))

(operating-system
  (host-name "pebble")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (file-systems %base-file-systems))
