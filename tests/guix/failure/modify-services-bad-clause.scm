;; error: modify-services-bad-clause.scm:10:15: modify-services: each clause must be (delete TYPE) or (TYPE CONFIG => BODY …); x:delete is not the delete of (gnu services) (got (x:delete gdm-service-type))
;; A modify-services clause of neither shape is named, located, with what is expected (Steel
;; said "macro expansion unable to match case"); x: is no prefix of (gnu services).
(use-modules (gnu))
(use-service-modules desktop)

(operating-system
  (host-name "pebble")
  (services (modify-services %desktop-services (gdm-service-type config => config)
              (x:delete gdm-service-type)))
  (bootloader (bootloader-configuration
                (bootloader grub-efi-bootloader)
                (targets (list "/boot/efi"))))
  (file-systems (cons (file-system
                        (mount-point "/")
                        (device (file-system-label "root"))
                        (type "ext4"))
                      %base-file-systems)))
