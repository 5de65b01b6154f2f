;; A QEMU-friendly image that boots both ways: MBR with an ESP and the root
;; partition (Guix's default image type, mbr-hybrid-raw).
(use-modules (gnu) (gnu image) (gnu system image))

(define %vm-os
  (operating-system
    (host-name "vm")
    (bootloader (bootloader-configuration
                 (bootloader grub-bootloader)
                 (targets '("/dev/vda"))
                 (terminal-outputs '(console))))
    (kernel (local-file "files/bzImage"))
    (initrd (local-file "files/initrd.cpio.gz"))
    (kernel-arguments '("console=ttyS0"))
    (file-systems (cons (file-system
                          (mount-point "/")
                          (device (file-system-label root-label))
                          (type "ext4"))
                        %base-file-systems))
    (root-tree "files/rootfs")))

(os->image %vm-os #:type mbr-hybrid-raw-image-type)
