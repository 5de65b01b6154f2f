;; An operating system on a GPT disk that UEFI firmware boots: a FAT ESP with GRUB
;; (EFI/BOOT/BOOTX64.EFI) and an ext4 root holding the root tree, the kernel and grub.cfg.
;;
;;   ingot build examples/efi-os.scm --root-tree ROOT -o efi.img
;;
;; ROOT is a directory or tar archive with /boot/vmlinuz and /boot/initrd.img in it
;; (scripts/demo.sh makes a small busybox one).

(use-modules (gnu) (gnu image) (gnu system image))

(define my-os
  (operating-system
    (host-name "ingot-demo")
    (timezone "Europe/Paris")
    (bootloader (bootloader-configuration
                 (bootloader grub-efi-bootloader)
                 (targets '("/boot/efi"))
                 (timeout 1)))
    (kernel "/boot/vmlinuz")
    (initrd "/boot/initrd.img")
    (kernel-arguments '("console=ttyS0" "quiet"))
    (file-systems (cons (file-system
                          (device (file-system-label "demo-root"))
                          (mount-point "/")
                          (type "ext4"))
                        %base-file-systems))))

(image
  (inherit efi-disk-image)
  (name 'efi.img)
  (operating-system my-os))
