;; error: kernel-missing.scm:6:5: operating-system: field kernel: /nonexistent/vmlinuz-6.1 is neither in the root tree nor a file on this host
;; A kernel path that is neither in the (absent) root tree nor on the host.
(image
  (inherit efi-disk-image)
  (operating-system
    (operating-system
      (host-name "k")
      (kernel "/nonexistent/vmlinuz-6.1")
      (bootloader (bootloader-configuration (bootloader grub-efi-bootloader)))
      (file-systems %base-file-systems))))
