;; error: uuid-string.scm:2:24: partition: field uuid: expected #f or a uuid such as (uuid "…") (got "5b193300-fc78-40cd-8002-e86c45580b47")
(partition (label "x") (uuid "5b193300-fc78-40cd-8002-e86c45580b47"))
