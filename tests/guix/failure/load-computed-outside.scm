;; error: load-computed-outside.scm:4:7: /etc/hostname.scm: outside the load path
;; A computed path is held to the rule of a literal one, and whether a file outside the load
;; path exists is not told.
(load (string-append "/etc/" "hostname.scm"))
