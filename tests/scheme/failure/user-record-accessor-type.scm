;; error: user-record-accessor-type.scm:9:1: host-name: expected a host, got
(define-record-type* <host> host make-host
  host?
  this-host
  (name host-name)
  (disk host-disk (default "/dev/sda"))
  (label host-label (thunked) (default (host-name this-host))))

(host-name (partition (label "x")))
