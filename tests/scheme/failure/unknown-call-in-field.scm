;; error: unknown-call-in-field.scm:2:24: partition: field label: expected a string (got #<unknown (strng-append …)>)
(partition (size 4096) (label (strng-append "da" "ta")))
