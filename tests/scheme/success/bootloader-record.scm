;; Guix's bootloader record: inheriting one of ingot's keeps what it installs, whatever the new
;; name; a bootloader with an installer of its own is kept by name (only a non-booting image
;; may use it).
(define my-grub
  (bootloader
    (inherit grub-efi-bootloader)
    (name 'my-grub)
    (configuration-file "/boot/grub/custom.cfg")))

(define own-loader
  (bootloader
    (name 'own-loader)
    (installer '(lambda args #t))))

(define (os-with loader)
  (operating-system
    (host-name "bl")
    (bootloader (bootloader-configuration (bootloader loader)))
    (file-systems %base-file-systems)))

(unless (and (equal? (bootloader-name my-grub) 'my-grub)
             (equal? (bootloader-configuration-file my-grub) "/boot/grub/custom.cfg")
             (bootloader? own-loader)
             (not (bootloader? "grub")))
  (error "bootloader record accessors"))

(image
  (inherit efi-disk-image)
  (name 'bl)
  (operating-system (os-with my-grub)))
