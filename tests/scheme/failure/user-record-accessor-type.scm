;; error: user-record-accessor-type.scm:3:1: host-name: expected a host, got #<partition label: "x">
(use-modules (records host))
(host-name (partition (label "x")))
