;; A label computed from a package ingot does not know (its version) cannot be had: the boot
;; menu entry is titled with the host name, and the warning says the label is ignored.
(use-modules (gnu))

(operating-system
  (host-name "versioned")
  (label (string-append "GNU Guix " (package-version guix)))
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems (cons (file-system (mount-point "/") (device (file-system-label "root"))
                                   (type "ext4"))
                      %base-file-systems)))
