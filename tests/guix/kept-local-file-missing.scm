;; A local-file inside clauses ingot keeps unevaluated (a grub-theme ingot does not know) is
;; still an input Guix would stop on when missing: ingot, which never reads it, warns.
(use-modules (gnu))

(operating-system
  (host-name "themed")
  (bootloader (bootloader-configuration
               (bootloader grub-bootloader)
               (targets '("/dev/vda"))
               (theme (grub-theme (image (local-file "no-such-background.png"))))))
  (file-systems %base-file-systems))
