;; error: string-join-not-list.scm:2:1: string-join: expected a list of strings, got "a,b"
(define x
  (string-join "a,b" ","))
