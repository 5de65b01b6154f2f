;; error: arity-deep-in-os.scm:13:11: home-fs: function expected 2 arguments, found 1
;; A plain procedure called with too few arguments deep in the operating-system: Steel's own
;; span already places it at the call, which stays so.
(use-modules (gnu))
(define (home-fs label at)
  (file-system (device (file-system-label label)) (mount-point at) (type "ext4")))
(operating-system
  (host-name "k") (timezone "UTC") (locale "en_US.utf8")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (file-systems
   (cons* (file-system (device (file-system-label "root")) (mount-point "/") (type "ext4"))
          (home-fs "home" "/home")
          (home-fs "spare")
          %base-file-systems)))
