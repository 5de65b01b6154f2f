;; modify-services' `delete` is matched by its binding, as Guile matches syntax-rules
;; literals (Guix re-exports `delete` from (gnu services) for this): under a #:prefix or a
;; #:select rename it still deletes. A prefixed name ingot does not know is the placeholder
;; its plain name gives (svc:upower-service-type is upower-service-type), and srfi-1's
;; prefixed delete is still the procedure.
(use-modules (gnu)
             ((gnu services) #:prefix svc:)
             ((gnu services) #:select ((delete . drop)))
             ((srfi srfi-1) #:prefix s1:))
(use-service-modules desktop)

(operating-system
  (host-name (car (s1:delete "x" '("x" "pebble"))))
  (services (modify-services %desktop-services
              (svc:delete gdm-service-type)
              (drop svc:upower-service-type)
              (svc:delete svc:polkit-service-type)))
  (bootloader (bootloader-configuration
                (bootloader grub-efi-bootloader)
                (targets (list "/boot/efi"))))
  (file-systems (cons (file-system
                        (mount-point "/")
                        (device (file-system-label "root"))
                        (type "ext4"))
                      %base-file-systems)))
