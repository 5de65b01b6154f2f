;; A #:key default is evaluated only when the caller leaves the key out, as in Guile: a
;; default that signals an error marks a key the caller must give, and a default may use the
;; keys before it. Before, every default ran, so (error "… needed") stopped every call.
(use-modules (gnu))

(define* (machine name #:key (site "lab") (zone (string-append "Europe/" site))
                  (disk (error "machine: #:disk needed")))
  (operating-system
    (host-name (string-append name "-" site))
    (timezone zone)
    (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets (list disk))))
    (file-systems (cons (file-system (mount-point "/") (device (file-system-label name))
                                     (type "ext4"))
                        %base-file-systems))))

(define given (machine "alpha" #:site "Paris" #:disk "/dev/vda"))
(define defaulted (machine "beta" #:disk "/dev/vdb" #:zone "Etc/UTC"))

(operating-system
  (inherit given)
  (kernel-arguments (list (operating-system-timezone given)
                          (operating-system-timezone defaulted)
                          (operating-system-host-name defaulted))))
