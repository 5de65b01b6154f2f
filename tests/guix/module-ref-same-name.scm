;; (define x (@@ (gnu …) x)) binds x to the module's x, as in Guile, not to the x being defined:
;; the prelude's value for a name ingot has, a placeholder for one it lacks.
(use-modules (gnu))

(define %base-services (@@ (gnu services base) %base-services))
(define qemu-pebble-services (@@ (gnu services virtualization) qemu-pebble-services))

(operating-system
  (host-name "same-name")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (file-systems (cons (file-system
                        (device (file-system-label "same-root"))
                        (mount-point "/")
                        (type "ext4"))
                      %base-file-systems))
  (kernel-arguments (list (if (list? %base-services) "base-is-a-list" "base-is-not")))
  (services (cons qemu-pebble-services %base-services)))
