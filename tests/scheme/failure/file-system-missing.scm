;; error: file-system-missing.scm:2:1: file-system: field mount-point: missing mandatory field
(file-system (device "/dev/sda1") (type "ext4"))
