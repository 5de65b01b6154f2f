;; An EFI disk image with an extra data partition, inheriting Guix's efi-disk-image.
(use-modules (gnu image)
             (gnu system image)
             (srfi srfi-26))

(define data-partition
  (partition
   (size (* 256 (expt 2 20)))
   (label "data")
   (file-system "ext4")
   (file-system-options (list "-O" "^metadata_csum"))
   (initializer (lambda (root)
                  (mkdir-p root "backups")
                  (write-file root "README" "Backups go here.\n")))))

(define my-os
  (operating-system
    (host-name "efi-data")
    (bootloader (bootloader-configuration
                 (bootloader grub-efi-removable-bootloader)
                 (targets '("/boot/efi"))))
    (file-systems (cons (file-system
                          (device (file-system-label root-label))
                          (mount-point "/")
                          (type "ext4"))
                        %base-file-systems))
    (root-tree (local-file "files/rootfs" #:recursive? #t))))

(image
 (inherit efi-disk-image)
 (name 'efi-with-data)
 (size (* 2 (expt 2 30)))
 (operating-system my-os)
 (partitions (append (image-partitions efi-disk-image)
                     (list data-partition))))
