;; canonicalize-path of a path inside the load path (the definition's own tree) is its
;; canonical path, as file-exists? answers there; outside it stays refused
;; (failure/canonicalize-path-outside.scm), a missing path inside is Guile's error
;; (failure/canonicalize-path-missing.scm).
(use-modules (gnu))

(define here (dirname (current-filename)))
(define files (canonicalize-path (string-append here "/nest/./../files")))

(operating-system
  (host-name (string-append (basename files)
                            (if (string=? files (canonicalize-path (string-append here "/files")))
                                "-same"
                                "-other")
                            (if (string-contains files "..") "-dotted" "")))
  (bootloader (bootloader-configuration
                (bootloader grub-bootloader)
                (targets (list "/dev/vda"))))
  (file-systems (cons (file-system
                        (mount-point "/")
                        (device (file-system-label "root"))
                        (type "ext4"))
                      %base-file-systems)))
