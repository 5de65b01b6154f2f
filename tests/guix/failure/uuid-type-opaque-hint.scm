;; error: hint: `type` is not defined
;; A uuid type that is no symbol but a name ingot does not know: the hint is about that name
;; (here a (type "ext4") clause written inside the uuid form).
(use-modules (gnu))
(operating-system
  (host-name "uuid-type")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (mount-point "/")
                                   (device (uuid "1f3cc259-3679-4ac1-871b-d94cc8bc097c"
                                                 (type "ext4"))))
                      %base-file-systems)))
