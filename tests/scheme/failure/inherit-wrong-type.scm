;; error: inherit-wrong-type.scm:2:1: partition: (inherit …) expects a partition (got #<image>)
(partition (inherit efi-disk-image) (label "x"))
