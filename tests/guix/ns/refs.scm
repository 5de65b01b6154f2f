;; A user module of tests/guix/module-ref.scm: it exports `refs-os` and keeps `%refs-name`
;; private.
(define-module (ns refs)
  #:use-module (gnu)
  #:export (refs-os))

(define %refs-name "refs")

(define refs-os
  (operating-system
    (host-name %refs-name)
    (bootloader (bootloader-configuration
                  (bootloader grub-bootloader)
                  (targets (list "/dev/vda"))))
    (file-systems (cons (file-system
                          (device (file-system-label "refs-root"))
                          (mount-point "/")
                          (type "ext4"))
                        %base-file-systems))))
