;; A bootloader that inherits a GRUB ingot installs and replaces its code is that GRUB: Guix,
;; building a disk image, runs the installer with no device, and the layout is the inherited
;; GRUB's. ingot warns, naming the replaced fields, at the bootloader form.
(use-modules (gnu) (gnu bootloader) (gnu bootloader grub))

(define (logged installer)
  #~(lambda (bootloader device mount-point)
      (format #t "installing on ~a~%" device)
      (#$installer bootloader device mount-point)))

(define logged-grub
  (bootloader
    (inherit grub-efi-removable-bootloader)
    (name 'logged-grub)
    (installer (logged (bootloader-installer grub-efi-removable-bootloader)))
    (configuration-file-generator (lambda args #f))))

(operating-system
  (host-name "logged")
  (bootloader (bootloader-configuration
                (bootloader logged-grub)
                (targets (list "/boot/efi"))))
  (file-systems (cons (file-system
                        (mount-point "/")
                        (device (file-system-label "root"))
                        (type "ext4"))
                      %base-file-systems)))
