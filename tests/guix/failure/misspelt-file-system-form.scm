;; error: hint: `file-sytem` is not defined: did you mean file-system?
;; A misspelt record form: the form (a macro) is offered, not its predicate file-system?.
(use-modules (gnu))
(operating-system
  (host-name "forms")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-sytem (device (file-system-label "root")) (mount-point "/")
                                  (type "ext4"))
                      %base-file-systems)))
