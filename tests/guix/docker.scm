;; A Docker image of a small system, in the style of docker-image.tmpl.
(use-modules (gnu))
(use-service-modules networking)
(use-package-modules base bash)

(operating-system
  (host-name "container")
  (timezone "Etc/UTC")
  (locale "en_US.utf8")

  ;; This is where user accounts are specified.  The "root" account is
  ;; implicit, and is initially created with the empty password.
  (users %base-user-accounts)

  ;; The bootloader and file systems are not used in a container, but
  ;; operating-system needs them.
  (bootloader (bootloader-configuration
               (bootloader grub-efi-bootloader)
               (targets '("does-not-matter"))))
  (file-systems %base-file-systems)

  (packages (list coreutils bash))
  (services (list (service dhcp-client-service-type)))

  (root-tree "files/rootfs"))
