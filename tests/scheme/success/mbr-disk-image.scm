;; The standard mbr-disk-image of (gnu system image).
mbr-disk-image
