;; The standard iso9660-image of (gnu system image).
iso9660-image
