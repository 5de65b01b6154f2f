;; error: star-missing-argument-deep.scm:14:18: boot-fs: missing required argument serial
;; error: hint: boot-fs is defined at
;; A define* procedure's required argument left out, deep in the operating-system: the error is
;; at the call that leaves it out.
(use-modules (gnu))
(define* (boot-fs serial #:key (at "/boot/efi"))
  (file-system (device (uuid serial 'fat)) (mount-point at) (type "vfat")))
(operating-system
  (host-name "k") (timezone "UTC") (locale "en_US.utf8")
  (bootloader (bootloader-configuration (bootloader grub-efi-bootloader) (targets '("/boot/efi"))))
  (file-systems
   (append (list (file-system (device (file-system-label "root")) (mount-point "/")
                              (type "ext4"))
                 (boot-fs))
           %base-file-systems)))
