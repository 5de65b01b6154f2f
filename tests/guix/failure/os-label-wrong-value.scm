;; error: os-label-wrong-value.scm:8:10: string-append needs a string here, got 3
;; The label is evaluated (it titles the boot menu entry), so a mistake in it stops show as
;; it stops Guix (wrong-type-arg), located at the call.
(use-modules (gnu))

(operating-system
  (host-name "h")
  (label (string-append "GNU Guix " 3))
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems (cons (file-system (mount-point "/") (device (file-system-label "root"))
                                   (type "ext4"))
                      %base-file-systems)))
