;; A config that uses the Guile libraries the `guix` command always has on its load path
;; (guile-git and its bytestructures, guile-ssh, gnutls, guile-zlib): they are found, and
;; their names are opaque where ingot ignores the value (a service here).
(use-modules (gnu)
             (git)
             (bytestructures guile)
             (ssh session)
             (gnutls)
             (zlib))

(define mirror-service
  (simple-service 'mirror shepherd-root-service-type
                  (list (clone "https://example.org/r.git" "/srv/r"))))

(operating-system
  (host-name "libs")
  (bootloader (bootloader-configuration (bootloader grub-bootloader)
                                        (targets '("/dev/vda"))))
  (file-systems (cons (file-system (mount-point "/") (device (file-system-label "root"))
                                   (type "ext4"))
                      %base-file-systems))
  (services (cons mirror-service %base-services)))
