;; error: host-name-no-etc.scm:6:5: operating-system: field host-name: etc: etc exists and is not a directory
;; The root tree's /etc is a file, so /etc/hostname cannot be written.
(image
  (inherit efi-disk-image)
  (operating-system
    (operating-system
      (host-name "h")
      (root-tree "files/etc-is-a-file")
      (kernel (local-file "files/vmlinuz"))
      (bootloader (bootloader-configuration (bootloader grub-efi-bootloader)))
      (file-systems %base-file-systems))))
