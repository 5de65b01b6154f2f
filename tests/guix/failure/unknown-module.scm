;; error: unknown-module.scm:3:20: module (systems nowhere) not found in
;; A module that is neither Guix's nor a file on the load path.
(use-modules (gnu) (systems nowhere))
(operating-system (host-name "x") (file-systems %base-file-systems))
