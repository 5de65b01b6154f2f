;; A user record type shared by the user-record-*.scm failure files.
(define-module (records host)
  #:use-module (guix records)
  #:export (host host? this-host host-name host-disk host-label))

(define-record-type* <host> host make-host
  host?
  this-host
  (name host-name)
  (disk host-disk (default "/dev/sda"))
  (label host-label (thunked) (default (host-name this-host))))
