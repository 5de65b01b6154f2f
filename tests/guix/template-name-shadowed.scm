;; A module whose macro template name is captured by a parameter of the same spelling
;; (see systems/shadowed.scm) loads, and its procedure runs.
(use-modules (gnu) (systems shadowed))

(define wrapped (wrap 'base))

(operating-system
  (host-name "hygiene")
  (bootloader (bootloader-configuration
               (bootloader grub-bootloader)
               (targets '("/dev/vda"))))
  (file-systems (cons (file-system
                        (device (file-system-label "root"))
                        (mount-point "/")
                        (type "ext4"))
                      %base-file-systems)))
