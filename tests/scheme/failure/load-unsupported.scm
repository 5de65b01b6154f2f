;; error: load-unsupported.scm:2:1: load: ingot evaluates one file; copy the definitions into it
(load "common.scm")
my-common-image
