;; error: file-system-type.scm:2:53: file-system: field type: expected a string (got 'ext4)
(file-system (device "/dev/sda1") (mount-point "/") (type 'ext4))
