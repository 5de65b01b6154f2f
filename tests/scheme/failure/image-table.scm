;; error: image-table.scm:2:40: image: field partition-table-type: expected 'mbr or 'gpt (got 'dos)
(image-without-os (format 'disk-image) (partition-table-type 'dos))
