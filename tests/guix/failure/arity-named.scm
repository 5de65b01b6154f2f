;; error: arity-named.scm:9:44: file-system-label: function expected 1 arguments, found 2
;; Too many arguments to a procedure: the message names it.
(use-modules (gnu))

(operating-system
  (host-name "h")
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems (cons (file-system (mount-point "/")
                                   (device (file-system-label "root" "extra"))
                                   (type "ext4"))
                      %base-file-systems)))
