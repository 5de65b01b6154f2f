;; A Hurd system written as Guix writes its own (file-systems '()), for `guix system image`:
;; the image gives it the root file system, and the warning says so for a Hurd system instead
;; of calling the system broken; its kernel is the Hurd's, not Guix's default linux-libre.
(use-modules (gnu) (gnu image) (gnu system image))

(define os
  (operating-system
    (host-name "mach")
    (kernel %hurd-startup)
    (bootloader (bootloader-configuration (bootloader grub-minimal-bootloader)
                                          (targets '("/dev/vda"))))
    (file-systems '())))

(image-with-os mbr-disk-image os)
