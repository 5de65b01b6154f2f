;; error: last-is-partition.scm:2:1: the definition must end with an image or an operating-system, but its last expression is a partition record
esp-partition
