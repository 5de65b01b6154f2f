;; error: user-record-unknown-field.scm:3:18: host: field dsik: no such field (got "/dev/vda")
(use-modules (records host))
(host (name "a") (dsik "/dev/vda"))
