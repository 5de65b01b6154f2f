;; error: docker-layers.scm:3:1: image: field max-layers: (max-layers 4): ingot writes a docker image as one layer
;; More layers than ingot writes.
(image
  (inherit docker-image)
  (max-layers 4)
  (operating-system
    (operating-system
      (host-name "d")
      (bootloader (bootloader-configuration (bootloader grub-efi-bootloader)))
      (file-systems '()))))
