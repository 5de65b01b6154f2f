;; error: read-host-file.scm:6:1: open-input-file is not available for "/etc/passwd"
;; error: definitions cannot read or write host files
;; A definition reads its own Scheme sources, as include does, never another host file.
(use-modules (gnu) (ice-9 rdelim))

(define first-user (read-line (open-input-file "/etc/passwd")))
