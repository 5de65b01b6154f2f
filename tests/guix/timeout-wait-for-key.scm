;; A GRUB menu that waits until a key is pressed: Guix has no check on the timeout and writes
;; it into grub.cfg as `set timeout=-1`, which GRUB reads as "no timeout".
(use-modules (gnu))

(operating-system
  (host-name "waiting")
  (bootloader (bootloader-configuration
               (bootloader grub-bootloader)
               (targets '("/dev/vda"))
               (timeout -1)))
  (file-systems (cons (file-system
                        (device (file-system-label "waiting-root"))
                        (mount-point "/")
                        (type "ext4"))
                      %base-file-systems)))
