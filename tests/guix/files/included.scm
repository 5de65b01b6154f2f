;; Included by tests/guix/modules.scm: its definitions are made where the include is.
(define %included-suffix "-inc")
