;; error: raspberry-pi-raw: no such image type
;; image-type: raspberry-pi-raw
;; An operating-system asked for as an image type ingot does not have.
(use-modules (gnu))

(operating-system
  (host-name "pi")
  (bootloader (bootloader-configuration (bootloader u-boot-bootloader)))
  (file-systems %base-file-systems))
