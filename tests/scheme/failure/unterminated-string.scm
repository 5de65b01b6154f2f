;; error: unterminated-string.scm:2:19: syntax error: unterminated string
(partition (label "data))
