;; A kernel given as a Guix package is ignored (ingot takes a file), but a misspelt package
;; name gets a warning of its own at the field, with a did-you-mean: Guix stops on it (Unbound
;; variable). A versioned package (linux-libre-6.6) is no misspelling (kernel-package-versions).
(use-modules (gnu))

(operating-system
  (host-name "h")
  (kernel linux-libr)
  (initrd microcode-inird)
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems (cons (file-system (mount-point "/") (device (file-system-label "root"))
                                   (type "ext4"))
                      %base-file-systems)))
