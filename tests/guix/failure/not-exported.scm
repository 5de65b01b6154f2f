;; error: not-exported.scm:5:30: `helper` is not exported by (ns base)
;; A module's private name is not visible to its importer.
(use-modules (gnu) (ns base))

(define label (string-append helper "-root"))

(operating-system
  (host-name base-host)
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems (cons (file-system
                        (device (file-system-label (base-label)))
                        (mount-point "/")
                        (type "ext4"))
                      %base-file-systems)))
