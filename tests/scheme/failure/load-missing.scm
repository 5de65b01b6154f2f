;; error: load-missing.scm:3:7: /
;; A file that is not there is an error at the load, naming it.
(load "no-such-common.scm")
