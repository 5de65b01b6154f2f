;; A module loaded while another loads gets a namespace of its own: each private `helper`
;; keeps its value.
(use-modules (gnu) (nest outer))

(operating-system
  (host-name "nested")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (kernel-arguments (outer-args))
  (file-systems %base-file-systems))
