;; error: user-record-missing-field.scm:3:1: host: field name: missing mandatory field
(use-modules (records host))
(host (disk "/dev/vda"))
