;; error: user-record-missing-field.scm:9:1: host: field name: missing mandatory field
(define-record-type* <host> host make-host
  host?
  this-host
  (name host-name)
  (disk host-disk (default "/dev/sda"))
  (label host-label (thunked) (default (host-name this-host))))

(host (disk "/dev/vda"))
