;; The standard efi32-disk-image of (gnu system image).
efi32-disk-image
