;; define*-public exports a procedure with keyword arguments; Guix's other file systems
;; (%fuse-control-file-system, %binary-format-file-system, %control-groups) are known.
(use-modules (gnu) (ns optargs))

(operating-system
  (host-name "optargs")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (kernel-arguments (append (console-arguments) (console-arguments #:port "hvc0" #:speed 9600)))
  (file-systems (append (list %fuse-control-file-system %binary-format-file-system)
                        %control-groups
                        %base-file-systems)))
