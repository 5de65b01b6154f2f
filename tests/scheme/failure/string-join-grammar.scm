;; error: string-join-grammar.scm:2:1: string-join: expected the grammar 'infix, 'strict-infix, 'suffix or 'prefix, got 'bogus
(define x
  (string-join '("a") "," 'bogus))
