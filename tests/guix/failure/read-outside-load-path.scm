;; error: read-outside-load-path.scm:6:1: open-input-file is not available for "../../guix/base.scm"
;; error: outside
;; A Scheme source outside the load path is not the definition's to read (add -L DIR).
(use-modules (gnu) (ice-9 textual-ports))

(define other (get-string-all (open-input-file "../../guix/base.scm")))
