;; error: os-file-systems.scm:5:3: operating-system: field file-systems: expected a list of (file-system …) records (got ("/dev/sda1"))
(operating-system
  (host-name "box")
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems (list "/dev/sda1")))
