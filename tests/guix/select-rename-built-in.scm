;; `#:select` renames of a built-in module's names: `without` is srfi-1's `delete` here, and
;; in (ns renamed) `drop` is too (not srfi-1's own drop).
(use-modules (gnu) ((srfi srfi-1) #:select ((delete . without))) (ns renamed))

(operating-system
  (host-name "renamer")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (kernel-arguments (append (without "quiet" (list "splash" "quiet")) module-args))
  (file-systems %base-file-systems))
