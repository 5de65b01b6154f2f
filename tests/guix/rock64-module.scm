;; A board module in the style of gnu/system/images/rock64.scm: its own image
;; type, built on raw-with-offset-disk-image with U-Boot's 16 MiB gap.
(define-module (my system images rock64)
  #:use-module (gnu bootloader)
  #:use-module (gnu bootloader u-boot)
  #:use-module (gnu image)
  #:use-module (gnu packages linux)
  #:use-module (guix platforms arm)
  #:use-module (gnu services)
  #:use-module (gnu services networking)
  #:use-module (gnu system)
  #:use-module (gnu system file-systems)
  #:use-module (gnu system image)
  #:use-module (srfi srfi-26)
  #:export (my-rock64-os
            my-rock64-image-type
            my-rock64-raw-image))

(define my-rock64-os
  (operating-system
    (host-name "jiehkkevarri")
    (timezone "Europe/Oslo")
    (bootloader (bootloader-configuration
                 (bootloader u-boot-rock64-rk3328-bootloader)
                 (targets '("/dev/sda"))))
    (initrd-modules '())
    (kernel (local-file "files/bzImage"))
    (file-systems (cons (file-system
                          (device (file-system-label "my-root"))
                          (mount-point "/")
                          (type "ext4"))
                        %base-file-systems))
    (services (append (list (service dhcpcd-service-type))
                      %base-services))))

(define my-rock64-image-type
  (image-type
   (name 'my-rock64-raw)
   (constructor (lambda (os)
                  (image
                   (inherit (raw-with-offset-disk-image (expt 2 24)))
                   (name 'my-rock64-disk-image)
                   (operating-system os)
                   (platform aarch64-linux))))))

(define my-rock64-raw-image
  (image
   (inherit
    (os+platform->image my-rock64-os aarch64-linux
                        #:type my-rock64-image-type))
   (name 'my-rock64-barebones-raw-image)))

my-rock64-raw-image
