;; The label is the boot menu entry's title in Guix, so ingot evaluates it (a thunked field:
;; it sees this-operating-system, and an inheriting OS recomputes it).
(use-modules (gnu))

(define base
  (operating-system
    (host-name "base")
    (label (string-append "Guix on " (operating-system-host-name this-operating-system)))
    (bootloader (bootloader-configuration (bootloader grub-bootloader)))
    (file-systems (cons (file-system (mount-point "/") (device (file-system-label "root"))
                                     (type "ext4"))
                        %base-file-systems))))

(operating-system
  (inherit base)
  (host-name "lab"))
