;; error: image-partitions.scm:3:3: image: field partitions: expected a list of partition records (got (#<partition label: "GNU-ESP"> "root"))
(image-without-os (format 'disk-image)
  (partitions (list esp-partition "root")))
