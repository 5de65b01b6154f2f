;; esp-partition, esp32-partition and root-partition, exactly as Guix defines them.
(image-without-os
 (format 'disk-image)
 (partitions (list esp-partition esp32-partition root-partition)))
