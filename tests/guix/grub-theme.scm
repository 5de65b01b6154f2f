;; A GRUB theme: ingot's grub.cfg has none, so grub-theme is kept as written, as a record ingot
;; does not know; a name it lacks inside (here (gnu artwork)'s repository) is an opaque value
;; as anywhere else, and a missing local-file in it is a warning (Guix stops there).
(use-modules (gnu) (gnu artwork))

(define spare-theme (grub-theme (image (local-file "no-such-theme.png"))))

(operating-system
  (host-name "themed")
  (bootloader (bootloader-configuration
               (bootloader grub-bootloader)
               (targets '("/dev/vda"))
               (theme (grub-theme
                       (image (file-append %artwork-repository "/grub/pebble.svg"))
                       (resolution '(1920 . 1080))))))
  (file-systems (cons (file-system
                        (device (file-system-label "themed-root"))
                        (mount-point "/")
                        (type "ext4"))
                      %base-file-systems)))
