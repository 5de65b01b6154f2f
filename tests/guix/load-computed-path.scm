;; `load` of a path the file computes from its own name, as Guile evaluates load's argument.
(use-modules (gnu))

(load (string-append (dirname (current-filename)) "/files/included.scm"))

(operating-system
  (host-name (string-append "computed" %included-suffix))
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (file-systems %base-file-systems))
