;; error: syntax-flat-indentation.scm:6:1: syntax error: this `(` is never closed
;; error: add the missing `)` (the file ends inside this form)
;; Flat indentation says nothing about where the missing `)` is: the form the file ends inside
;; is reported, as the reader finds it.
(use-modules (gnu))
(operating-system
(host-name "kestrel")
(timezone "Europe/Paris")
(bootloader (bootloader-configuration
(bootloader grub-efi-bootloader)
(targets '("/boot/efi")))
(file-systems %base-file-systems))
