;; The image of (raw-with-offset-disk-image) with its default offset.
(raw-with-offset-disk-image)
