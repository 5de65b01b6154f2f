;; A Pine64 LTS image, as gnu/system/images/pine64.scm builds it: the raw image
;; type with the root partition at 1 MiB and U-Boot written before it.
(define-module (my system images pine64)
  #:use-module (gnu bootloader)
  #:use-module (gnu bootloader u-boot)
  #:use-module (gnu image)
  #:use-module (gnu packages linux)
  #:use-module (guix platforms arm)
  #:use-module (gnu services)
  #:use-module (gnu services base)
  #:use-module (gnu services networking)
  #:use-module (gnu system)
  #:use-module (gnu system file-systems)
  #:use-module (gnu system image)
  #:use-module (srfi srfi-26)
  #:export (pine64-os
            pine64-raw-image))

(define pine64-os
  (operating-system
    (host-name "pine")
    (timezone "Europe/Paris")
    (locale "en_US.utf8")
    (bootloader (bootloader-configuration
                 (bootloader u-boot-pine64-lts-bootloader)
                 (targets '("/dev/vda"))))
    (initrd-modules '())
    (kernel linux-libre-arm64-generic)
    (file-systems (cons (file-system
                          (device (file-system-label "my-root"))
                          (mount-point "/")
                          (type "ext4"))
                        %base-file-systems))
    (services (cons* (service agetty-service-type
                              (agetty-configuration
                               (extra-options '("-L")) ; no carrier detect
                               (baud-rate "115200")
                               (term "vt100")
                               (tty "ttyS0")))
                     (service dhcpcd-service-type)
                     (service ntp-service-type)
                     %base-services))
    (firmware-directory "files")))

(define pine64-raw-image
  (image
   (inherit
    (os+platform->image pine64-os aarch64-linux
                        #:type pine64-image-type))
   (name 'pine64-barebones-raw-image)))

;; Return the default image.
pine64-raw-image
