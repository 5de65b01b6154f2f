;; error: kernel-arguments.scm:4:3: operating-system: field kernel-arguments: expected a list of strings (ingot does not evaluate gexps) (got ("quiet" 42))
(operating-system
  (host-name "k")
  (kernel-arguments (list "quiet" 42))
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems '()))
