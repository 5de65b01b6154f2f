;; Guix's deprecated (target "x") of a mapped-device is its one-element targets list, and
;; mapped-device-target is the first of the targets.
(use-modules (gnu))

(define old-style
  (mapped-device
    (source (uuid "12345678-1234-1234-1234-123456789abc"))
    (target "cryptroot")
    (type luks-device-mapping)))

(define new-style
  (mapped-device
    (source "/dev/sda2")
    (targets (list "vg-root" "vg-home"))
    (type lvm-device-mapping)))

(operating-system
  (host-name "mapper")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (mapped-devices (list old-style new-style))
  (kernel-arguments (append (mapped-device-targets old-style)
                            (list (mapped-device-target new-style))
                            (mapped-device-targets new-style)))
  (file-systems %base-file-systems))
