;; error: misspelt-os-field.scm:10:3: operating-system: field host-nam: no such field (got "komputilo")
;; A server configuration with a typo in a field name.
(use-modules (gnu))
(use-service-modules ssh)

(operating-system
  (timezone "Europe/Berlin")
  (bootloader (bootloader-configuration (bootloader grub-bootloader)
                                        (targets '("/dev/sda"))))
  (host-nam "komputilo")
  (file-systems %base-file-systems)
  (services (cons (service openssh-service-type) %base-services)))
