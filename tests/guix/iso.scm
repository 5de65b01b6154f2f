;; A live ISO image, uncompressed, with its volume label set the way
;; `guix system image --label=…' does it.
(use-modules (gnu) (gnu image) (gnu system image))
(use-package-modules linux)

(define live-os
  (operating-system
    (host-name "live")
    (bootloader (bootloader-configuration
                 (bootloader grub-bootloader)))
    (file-systems (list (file-system
                          (mount-point "/")
                          (device (file-system-label "GUIX_IMAGE"))
                          (type "iso9660"))))
    (root-tree (local-file "files/rootfs" "rootfs" #:recursive? #t))))

(image-with-label
 (os->image live-os #:type uncompressed-iso-image-type)
 "LIVE_2026")
