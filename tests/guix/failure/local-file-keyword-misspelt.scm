;; error: local-file-keyword-misspelt.scm:7:15: local-file: unexpected argument #:recursiv?: did you mean `#:recursive?`?
;; A misspelt keyword of local-file, the call written over two lines: at the keyword, and a
;; keyword ending in a question mark keeps it apart from the message's own.
(use-modules (gnu))
(define motd
  (local-file "local-file-keyword-misspelt.scm" "motd"
              #:recursiv? #t))
motd
