;; error: inherit-not-first.scm:2:24: partition: field inherit: (inherit …) must be the first clause
(partition (label "x") (inherit esp-partition))
