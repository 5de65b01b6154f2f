;; error: image-format.scm:2:19: image: field format: expected one of 'disk-image 'compressed-qcow2 'docker 'iso9660 'tarball 'wsl2 (got 'raw)
(image-without-os (format 'raw))
