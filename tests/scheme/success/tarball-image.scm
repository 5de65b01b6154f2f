;; The standard tarball-image of (gnu system image).
tarball-image
