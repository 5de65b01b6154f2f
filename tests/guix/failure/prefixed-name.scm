;; error: hint: did you mean b:base-host?
;; Names imported with #:prefix are spelt with it.
(use-modules (gnu) ((ns base) #:prefix b:))

(operating-system
  (inherit %hurd-default-operating-system)
  (host-name base-host))
