;; error: merge-conflict-balanced.scm:9:1: syntax error: an unresolved git merge conflict starts here (<<<<<<<)
;; error: hint: keep the side wanted and delete the <<<<<<<, ======= and >>>>>>> lines
;; A merge left in the file, each side balanced: the markers would be read as names (opaque
;; values to ingot, an unbound variable to Guile), so it is an error at the first marker.
(use-modules (gnu))
(operating-system
  (host-name "h")
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
<<<<<<< HEAD
  (timezone "Europe/Paris")
=======
  (timezone "Europe/Oslo")
>>>>>>> other
  (file-systems (cons (file-system (device (file-system-label "r")) (mount-point "/")
                                   (type "ext4"))
                      %base-file-systems)))
