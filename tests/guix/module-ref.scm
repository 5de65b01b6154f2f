;; Guile's module references: (@ (m) name) reads an exported name and (@@ (m) name) any
;; top-level name of (m), a private one too, loading (m) as use-modules would but importing
;; nothing; a built-in module's name is the prelude's. `quote`d, a reference is data.
(define label '(@ (no such) module))

((@ (gnu system) operating-system)
  (inherit (@ (ns refs) refs-os))
  (host-name (string-append (@@ (ns refs) %refs-name) "-"
                            (symbol->string (car label)))))
