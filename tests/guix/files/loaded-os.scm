;; Loaded by tests/guix/load-value.scm inside an expression: Guile's load returns the value of
;; the file's last form, here an operating-system; its definitions are made too.
(use-modules (gnu))
(define %loaded-root-label "loaded-root")
(operating-system
  (host-name "loaded")
  (bootloader (bootloader-configuration (bootloader grub-efi-bootloader)))
  (file-systems (cons (file-system (device (file-system-label %loaded-root-label))
                        (mount-point "/") (type "ext4"))
                      %base-file-systems)))
