;; error: require-unquoted.scm:6:34: require is not available: definitions cannot load other files
;; A quasiquote's unquoted part is code: a require there is refused as anywhere else (quoted
;; data around it may say require).
(use-modules (gnu))

(define init-el `((require 'a) ,(require "pebble.scm")))

(operating-system
  (host-name "pebble")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (file-systems %base-file-systems))
