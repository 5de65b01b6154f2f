;; error: mount-flag-misspelt.scm:8:36: file-system: field flags: invalid file system mount flag 'no-atme (got (no-atime no-atme))
;; error: hint: did you mean 'no-atime?
;; Guix's flags are checked when the form expands: a misspelt one stops it there.
(use-modules (gnu))
(operating-system
  (host-name "flags")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (flags '(no-atime no-atme)) (device (file-system-label "root"))
                                   (mount-point "/") (type "ext4"))
                      %base-file-systems)))
