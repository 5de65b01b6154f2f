;; error: file-system-device.scm:2:14: file-system: field device: expected a device: a string such as "/dev/sda1", (file-system-label "…") or (uuid "…") (got 42)
(file-system (device 42) (mount-point "/") (type "ext4"))
