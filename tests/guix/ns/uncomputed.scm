;; A user module (of tests/guix/uncomputed-in-module.scm) whose definitions use Guix names
;; ingot does not know where a value is needed: kept as opaque values, said in one warning.
(define-module (ns uncomputed)
  #:use-module (gnu)
  #:export (tuned-name firmware-count module-host-name))

(define tuned-name (string-upcase (package-name linux-7.0)))
(define firmware-count (length %custom-firmware-list))
(define module-host-name "from-module")
