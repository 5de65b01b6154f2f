;; image-with-label relabels the first partition only.
(image-with-label efi-disk-image "MY-ESP")
