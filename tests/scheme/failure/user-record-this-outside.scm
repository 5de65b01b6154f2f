;; error: user-record-this-outside.scm:3:1: this-host is only bound inside a thunked field of host, got it in host-disk
(use-modules (records host))
(host (name (host-disk this-host)))
