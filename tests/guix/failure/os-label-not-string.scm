;; error: os-label-not-string.scm:7:3: operating-system: field label: expected a string (the boot menu entry's title)
;; A label that is no string: Guix's GRUB menu needs one.
(use-modules (gnu))

(operating-system
  (host-name "h")
  (label 'guix)
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems (cons (file-system (mount-point "/") (device (file-system-label "root"))
                                   (type "ext4"))
                      %base-file-systems)))
