;; this-operating-system in the operating-system's thunked fields (label, initrd-modules,
;; essential-services): an inheriting system sees itself; a non-integer timeout, as Guix
;; accepts it, is rounded for GRUB.
(use-modules (gnu))

(define base
  (operating-system
    (host-name "alpha")
    (label (string-append "GNU on " (operating-system-host-name this-operating-system)))
    (initrd-modules (if (string=? (operating-system-host-name this-operating-system) "beta")
                        (cons "virtio_blk" %base-initrd-modules)
                        %base-initrd-modules))
    (essential-services
     (modify-services (operating-system-default-essential-services this-operating-system)
       (delete firmware-service-type)))
    (bootloader (bootloader-configuration
                  (bootloader grub-bootloader)
                  (targets '("/dev/vda"))
                  (timeout 2.5)))
    (file-systems (cons (file-system
                          (device (file-system-label "root"))
                          (mount-point "/")
                          (type "ext4"))
                        %base-file-systems))))

(define derived
  (operating-system
    (inherit base)
    (host-name "beta")))

(operating-system
  (inherit derived)
  (kernel-arguments
   (list (operating-system-label base)
         (operating-system-label derived)
         (car (operating-system-initrd-modules derived))
         (number->string (length (operating-system-essential-services derived))))))
