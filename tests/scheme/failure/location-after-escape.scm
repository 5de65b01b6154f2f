;; error: location-after-escape.scm:3:31: partition: field size: expected a size in bytes
;; Columns after a respelt escape are those of the file.
(partition (label "\x41\x42") (size "1M"))
