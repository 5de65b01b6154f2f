;; An image whose `target` is the Hurd's triplet: its platform is i586-gnu, and its
;; 32-bit ARM sibling's is armhf-linux.
(use-modules (gnu) (gnu image) (gnu system image))

(define arm-base (arm32-disk-image))

(image
  (inherit arm-base)
  (name (if (equal? (image-target arm-base) "arm-linux-gnueabihf") 'arm-ok 'arm-wrong))
  (target "i586-pc-gnu")
  (operating-system
    (operating-system
      (host-name "triplet")
      (bootloader (bootloader-configuration (bootloader grub-bootloader)))
      (file-systems %base-file-systems))))
