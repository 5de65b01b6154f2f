;; A user module defining a record type of its own (tests/guix/record-module.scm uses it).
(define-module (systems hosts)
  #:use-module (gnu)
  #:use-module (guix records)
  #:export (host
            host?
            this-host
            host-name
            host-root-label
            host->operating-system))

(define-record-type* <host> host make-host
  host?
  this-host
  (name host-name)
  (disk host-disk (default "/dev/vda"))
  (root-label host-root-label (thunked)
              (default (string-append (host-name this-host) "-root"))))

(define (host->operating-system h)
  (operating-system
    (host-name (host-name h))
    (bootloader (bootloader-configuration
                  (bootloader grub-bootloader)
                  (targets (list (host-disk h)))))
    (file-systems (cons (file-system
                          (device (file-system-label (host-root-label h)))
                          (mount-point "/")
                          (type "ext4"))
                        %base-file-systems))))
