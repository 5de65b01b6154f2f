;; error: missing-file-systems.scm:5:1: operating-system: field file-systems: missing mandatory field
;; Guix requires file-systems, and so does ingot.
(use-modules (gnu))

(operating-system
  (host-name "nofs")
  (bootloader (bootloader-configuration (bootloader grub-bootloader))))
