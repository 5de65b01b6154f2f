;; Every bootloader ingot knows, by the board it names; the deprecated `target`
;; field still counts.
(define (os-with bootloader)
  (operating-system
    (host-name "b")
    (bootloader (bootloader-configuration (bootloader bootloader) (target "/dev/mmcblk0")))
    (file-systems '())))

(define names
  (map (lambda (os) (bootloader-configuration-bootloader (operating-system-bootloader os)))
       (list (os-with u-boot-pine64-lts-bootloader))))

(image
  (format 'disk-image)
  (operating-system (os-with (car names))))
