;; A kernel given as a Guix package is ignored (ingot takes a file), but a misspelt package
;; name gets a did-you-mean in that warning: Guix stops on it (Unbound variable). A versioned
;; package (linux-libre-6.6) is no misspelling.
(use-modules (gnu))

(operating-system
  (host-name "h")
  (kernel linux-libr)
  (initrd raw-initrd)
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems (cons (file-system (mount-point "/") (device (file-system-label "root"))
                                   (type "ext4"))
                      %base-file-systems)))
