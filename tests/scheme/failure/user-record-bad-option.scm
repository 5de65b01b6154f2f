;; error: user-record-bad-option.scm:3:19: define-record-type*: field name: a field option is (default V), (thunked), (delayed), (innate) or (sanitize PROC)
(define-record-type* <host> host make-host host?
  (name host-name (defualt "x")))
(host)
