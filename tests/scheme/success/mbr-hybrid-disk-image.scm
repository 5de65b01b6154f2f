;; The standard mbr-hybrid-disk-image of (gnu system image).
mbr-hybrid-disk-image
