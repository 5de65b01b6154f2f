;; error: image-platform.scm:2:37: image: field platform: expected #f or a platform such as aarch64-linux (got 'aarch64)
(image-without-os (format 'tarball) (platform 'aarch64))
