;; A record type defined in a user module, used through its constructor macro (with inherit)
;; and its exported accessors.
(use-modules (gnu) (systems hosts))

(define web (host (name "web") (disk "/dev/sdb")))
(define web2 (host (inherit web) (name "web2")))

(host->operating-system web2)
