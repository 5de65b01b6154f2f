;; The standard efi-disk-image of (gnu system image).
efi-disk-image
