;; A user module named `(system extras)`, found beside this file as Guile finds it on the load
;; path, and not taken for one of Guile's `(system …)` modules.
(use-modules (gnu) (system extras))

(operating-system
  (host-name "rooted")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (kernel-arguments (append extra-kernel-arguments %default-kernel-arguments))
  (file-systems %base-file-systems))
