;; error: user-record-unknown-field.scm:9:18: host: field dsik: no such field (got "/dev/vda")
(define-record-type* <host> host make-host
  host?
  this-host
  (name host-name)
  (disk host-disk (default "/dev/sda"))
  (label host-label (thunked) (default (host-name this-host))))

(host (name "a") (dsik "/dev/vda"))
