;; error: opaque-string-used.scm:4:3: operating-system: field host-name: expected a string (got #<unknown (package-version …)>)
;; Where ingot needs the string, the unknown part is the error.
(operating-system
  (host-name (string-append "guix-" (package-version guix)))
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems %base-file-systems))
