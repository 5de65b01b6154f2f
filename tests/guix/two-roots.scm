;; Two file systems on "/": Guix's operating-system-root-file-system takes the first, so the
;; root partition is labelled "first" and the second form is warned about, located.
(use-modules (gnu))
(operating-system
  (host-name "two-roots")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons* (file-system (device (file-system-label "first")) (mount-point "/")
                                    (type "ext4"))
                       (file-system (device (file-system-label "second")) (mount-point "/")
                                    (type "ext4"))
                       %base-file-systems)))
