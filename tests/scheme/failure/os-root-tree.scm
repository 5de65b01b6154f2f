;; error: os-root-tree.scm:6:3: operating-system: field root-tree: expected #f, a file name or (local-file "…") (got 'rootfs)
(operating-system
  (host-name "r")
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems '())
  (root-tree 'rootfs))
