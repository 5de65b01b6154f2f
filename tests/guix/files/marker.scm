;; Exists so that tests/guix/host-file-probe.scm's file-exists? inside the load path is true.
