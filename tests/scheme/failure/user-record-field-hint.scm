;; error: hint: did you mean `disk`? host fields: name disk label
(define-record-type* <host> host make-host
  host?
  this-host
  (name host-name)
  (disk host-disk (default "/dev/sda"))
  (label host-label (thunked) (default (host-name this-host))))

(host (name "a") (dsik "/dev/vda"))
