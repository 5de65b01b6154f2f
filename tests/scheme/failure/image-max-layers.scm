;; error: image-max-layers.scm:2:36: image: field max-layers: expected #f or a positive integer (got 0)
(image-without-os (format 'docker) (max-layers 0))
