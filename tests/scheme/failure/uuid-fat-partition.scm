;; error: uuid-fat-partition.scm:3:65: partition: field uuid: ingot takes partition uuids as 128-bit (DCE) UUIDs
(image-without-os (format 'disk-image)
  (partitions (list (partition (label "x") (file-system "vfat") (uuid (uuid "1234-ABCD" 'fat))))))
