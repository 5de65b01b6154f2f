;; error: merge-conflict-unbalanced.scm:12:1: syntax error: an unresolved git merge conflict starts here (<<<<<<<)
;; A merge left in the file whose two sides each close the list: the parentheses no longer
;; pair, and the first marker is named rather than where the pairing failed.
(use-modules (gnu))
(operating-system
  (host-name "h")
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems (cons (file-system (device (file-system-label "r")) (mount-point "/")
                                   (type "ext4"))
                      %base-file-systems))
  (kernel-arguments (list "quiet"
<<<<<<< HEAD
                          "console=ttyS0")
=======
                          "console=tty0")
>>>>>>> other
                    ))
