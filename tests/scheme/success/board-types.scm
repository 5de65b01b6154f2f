;; The board image types of gnu/system/images/*.scm.
(operating-system
  (host-name "board")
  (bootloader (bootloader-configuration (bootloader u-boot-bootloader)))
  (file-systems %base-file-systems))
