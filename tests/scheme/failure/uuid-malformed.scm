;; error: uuid-malformed.scm:3:9: uuid: field string: expected 8-4-4-4-12 hexadecimal digits (got "5b193300-fc78-40cd-8002")
(partition (label "x")
  (uuid (uuid "5b193300-fc78-40cd-8002")))
