;; Guile's (format (current-error-port) …) prints a note, as display to that port does: the
;; port is one ingot does not know, kept as a placeholder, and format prints where display
;; prints. The definition goes on. Guile's ~ at a line's end joins the lines.
(use-modules (gnu))

(format (current-error-port) "building ~a~%" "noted")
;; A template split over lines with ~ at the end: the newline and indentation go.
(define name (format #f "~a-~
                         ~a" "noted" 1))

(operating-system
  (host-name name)
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems (cons (file-system (mount-point "/") (device (file-system-label "root"))
                                   (type "ext4"))
                      %base-file-systems)))
