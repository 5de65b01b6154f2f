;; Guix's ready-made operating systems of (gnu machine hetzner) and (gnu services virtualization)
;; are operating-system values with the fields Guix gives them: a server inherits the x86 Hetzner
;; one, and the kernel arguments below read the others' fields, so that each is checked here.
(use-modules (gnu) (gnu machine hetzner) (gnu services virtualization) (srfi srfi-1))

(define (device->string device)
  (if (file-system-label? device)
      (string-append "label:" (file-system-label->string device))
      device))

(define (describe os)
  (let ((bl (operating-system-bootloader os)))
    (string-append
     (operating-system-host-name os) ":"
     (symbol->string (bootloader-name (bootloader-configuration-bootloader bl))) ":"
     (string-join (bootloader-configuration-targets bl) ",") ":"
     (number->string (bootloader-configuration-timeout bl)) ":"
     (string-join (map (lambda (fs)
                         (string-append (file-system-mount-point fs) "="
                                        (device->string (file-system-device fs)) "/"
                                        (file-system-type fs)))
                       (filter (lambda (fs)
                                 (member (file-system-mount-point fs) '("/" "/boot/efi")))
                               (operating-system-file-systems os)))
                  ","))))

(operating-system
  (inherit %hetzner-os-x86)
  (host-name "pebble")
  (kernel-arguments
   (list (describe %hetzner-os-x86)
         (describe %hetzner-os-arm)
         (describe %hurd-vm-operating-system)
         (describe %virtual-build-machine-operating-system)
         (string-join (take (operating-system-initrd-modules %hetzner-os-arm) 2) ",")
         (car (operating-system-initrd-modules %hetzner-os-x86))
         (user-account-name (car (operating-system-users
                                  %virtual-build-machine-operating-system)))
         (operating-system-timezone %hurd-vm-operating-system))))
