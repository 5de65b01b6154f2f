;; Guile's (format (current-error-port) …) prints a note, as display to that port does: the
;; port is one ingot does not know, kept as a placeholder, and format prints where display
;; prints. The definition goes on.
(use-modules (gnu))

(format (current-error-port) "building ~a~%" "noted")
(define name (format #f "~a-~a" "noted" 1))

(operating-system
  (host-name name)
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems (cons (file-system (mount-point "/") (device (file-system-label "root"))
                                   (type "ext4"))
                      %base-file-systems)))
