;; error: bios-on-gpt.scm:10:19: bootloader-configuration: field bootloader: grub-bootloader (BIOS) lives in the gap after the MBR and needs an MBR table
;; BIOS GRUB asked for on a GPT disk.
(image
  (format 'disk-image)
  (partition-table-type 'gpt)
  (operating-system
    (operating-system
      (host-name "b")
      (kernel (local-file "files/vmlinuz"))
      (bootloader (bootloader-configuration (bootloader grub-bootloader)))
      (file-systems %base-file-systems)))
  (partitions
    (list (partition (label "root") (flags '(boot))))))
