;; No file system on "/" (the root's mount point has a trailing blank): the image is made,
;; its root partition as the image has it, and the operating system's file-systems field is
;; warned about, with a did-you-mean for the mount point that is "/" but for the blank.
(use-modules (gnu) (gnu image) (gnu system image))

(define os
  (operating-system
    (host-name "no-root")
    (bootloader (bootloader-configuration (bootloader grub-efi-bootloader)
                                          (targets '("/boot/efi"))))
    (file-systems (cons (file-system (device (file-system-label "my-root"))
                                     (mount-point "/ ") (type "ext4"))
                        %base-file-systems))))

(image-with-os efi-disk-image os)
