;; error: hint: `%base-file-sytems` is not defined: did you mean %base-file-systems?
;; Guix's public %-names are offered for a misspelt %-name.
(operating-system
  (host-name "h")
  (bootloader (bootloader-configuration (bootloader grub-efi-bootloader)))
  (file-systems (cons (file-system (device (file-system-label "root")) (mount-point "/")
                                   (type "ext4"))
                      %base-file-sytems)))
