;; error: ignored-field-own-error.scm:11:21: car resulted in an error
;; An OS field ingot does not read is still evaluated as Guix does: an error in it that is
;; not about a name ingot does not know is the user's, where it is.
(use-modules (gnu))
(operating-system
  (host-name "own-error")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (file-systems (cons (file-system (mount-point "/") (device "/dev/vda1") (type "ext4"))
                      %base-file-systems))
  (packages (append (list nss-certs)
                    (car '()))))
