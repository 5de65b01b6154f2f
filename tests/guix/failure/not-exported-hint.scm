;; error: hint: did you mean base-label?
;; #:select of a name the module does not export, close to one it does.
(use-modules (gnu)
             ((ns base) #:select (base-host base-lable)))

(operating-system
  (host-name base-host)
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems (cons (file-system
                        (device (file-system-label (base-label)))
                        (mount-point "/")
                        (type "ext4"))
                      %base-file-systems)))
