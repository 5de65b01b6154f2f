;; error: user-record-this-outside.scm:9:1: this-host is only bound inside a thunked field of host, got it in host-disk
(define-record-type* <host> host make-host
  host?
  this-host
  (name host-name)
  (disk host-disk (default "/dev/sda"))
  (label host-label (thunked) (default (host-name this-host))))

(host (name (host-disk this-host)))
