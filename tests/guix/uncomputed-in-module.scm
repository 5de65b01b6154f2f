;; Definitions of a user module that ingot cannot compute (they use Guix names it does not
;; know) are one warning for all, not one each; the file's own values are exact.
(use-modules (gnu) (ns uncomputed))

(operating-system
  (host-name module-host-name)
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (file-systems (cons (file-system (mount-point "/") (device (file-system-label "root"))
                                   (type "ext4"))
                      %base-file-systems)))
