;; Guix's WSL system, (gnu system images wsl2)'s wsl-os, inherited as a WSL config does: its
;; own users with the root shell that logs the user in, made a wsl2 image by os->image. The
;; kernel arguments read the fields Guix gives wsl-os, so that each is checked here.
(use-modules (gnu) (gnu image) (gnu system image) (gnu system images wsl2)
             (srfi srfi-1))

(define (describe os)
  (let ((bl (bootloader-configuration-bootloader (operating-system-bootloader os))))
    (list (operating-system-host-name os)
          (operating-system-timezone os)
          (symbol->string (bootloader-name bl))
          (bootloader-configuration-file bl)
          (number->string (length (operating-system-file-systems os)))
          (number->string (length (operating-system-initrd-modules os)))
          (string-join (map user-account-name (take (operating-system-users os) 2)) ","))))

(define my-wsl-os
  (operating-system
    (inherit wsl-os)
    (kernel-arguments (describe wsl-os))
    (users (cons* (user-account
                   (name "alice")
                   (group "users")
                   (supplementary-groups '("wheel")))
                  (user-account
                   (inherit %root-account)
                   (shell (wsl-boot-program "alice")))
                  %base-user-accounts))))

(image
 (inherit (os->image my-wsl-os #:type wsl2-image-type))
 (name 'my-wsl-image))
