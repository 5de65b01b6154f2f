;; A config that asks whether a host file exists (a service only where a program is
;; installed): a definition does not look at the host, so the answer is #f, with a warning.
(use-modules (gnu))

(define %extra-arguments
  (if (file-exists? "/usr/bin/some-daemon") (list "daemon=yes") (list "daemon=no")))

(operating-system
  (host-name "probe")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (kernel-arguments %extra-arguments)
  (file-systems %base-file-systems))
