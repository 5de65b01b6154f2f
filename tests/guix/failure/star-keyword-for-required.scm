;; error: star-keyword-for-required.scm:13:18: boot-fs: invalid keyword arguments: ("/efi")
;; A required argument left out before a keyword: as in Guile, the keyword becomes that
;; argument and its value is left over; the error is at the call.
(use-modules (gnu))
(define* (boot-fs serial #:key (at "/boot/efi"))
  (file-system (device (uuid serial 'fat)) (mount-point at) (type "vfat")))
(operating-system
  (host-name "k") (timezone "UTC") (locale "en_US.utf8")
  (bootloader (bootloader-configuration (bootloader grub-efi-bootloader) (targets '("/boot/efi"))))
  (file-systems
   (append (list (file-system (device (file-system-label "root")) (mount-point "/")
                              (type "ext4"))
                 (boot-fs #:at "/efi"))
           %base-file-systems)))
