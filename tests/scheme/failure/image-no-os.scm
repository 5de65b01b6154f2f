;; error: image-no-os.scm:2:1: image: field operating-system: missing mandatory field
(image (format 'disk-image))
