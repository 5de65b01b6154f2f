;; error: unbalanced.scm:6:1: syntax error: this `(` is never closed
;; A desktop configuration missing a closing parenthesis in its services.
(use-modules (gnu))
(use-service-modules desktop)

(operating-system
  (host-name "antelope")
  (bootloader (bootloader-configuration (bootloader grub-efi-bootloader)
                                        (targets '("/boot/efi"))))
  (file-systems %base-file-systems)
  (services (append (list (service gnome-desktop-service-type))
                    %desktop-services))
