;; error: hidden-name.scm:5:20: `base-host` is hidden by the #:hide of (ns base)
;; #:hide removes an exported name from the import.
(use-modules (gnu) ((ns base) #:hide (base-host)))

(define host (list base-host))

(operating-system
  (host-name base-host)
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems (cons (file-system
                        (device (file-system-label (base-label)))
                        (mount-point "/")
                        (type "ext4"))
                      %base-file-systems)))
