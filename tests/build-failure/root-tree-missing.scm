;; error: root-tree-missing.scm:6:5: operating-system: field root-tree: cannot read
;; A root tree that is not there.
(image
  (inherit efi-disk-image)
  (operating-system
    (operating-system
      (host-name "r")
      (root-tree "files/no-such-tree")
      (bootloader (bootloader-configuration (bootloader grub-efi-bootloader)))
      (file-systems %base-file-systems))))
