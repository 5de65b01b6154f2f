;; error: read-non-scheme-file.scm:7:1: call-with-input-file is not available for "files/admin.pub"
;; error: only Scheme sources (.scm, .tmpl)
;; A file inside the load path that is not a Scheme source is an input to declare
;; (local-file), not text for the definition to read.
(use-modules (gnu) (ice-9 textual-ports))

(define key (call-with-input-file "files/admin.pub" get-string-all))
