;; A record ingot does not know, built by code: its accessors give the computed fields, each
;; evaluated where it was written (a lambda's argument here), and a field the form does not
;; give comes from the record it inherits. A mesh VPN whose peers come from one host table,
;; each host keeping the peers it is not.
(use-modules (gnu) (gnu services vpn) (srfi srfi-1))

(define mesh
  '(("north" . "10.9.0.1") ("south" . "10.9.0.2") ("east" . "10.9.0.3")))

(define (peer-for entry)
  (wireguard-peer
   (name (string-upcase (car entry)))
   (allowed-ips (list (string-append (cdr entry) "/32")))
   ;; Never read: not evaluated (Guix would stop here; ingot reads fields only on demand).
   (public-key (car '()))))

(define peers (map peer-for mesh))

(define (others self)
  (remove (lambda (p) (string=? (wireguard-peer-name p) self)) peers))

;; Two links of inheritance: the name comes from the first form. A field sees the fields
;; given before it, as in Guix's record constructors.
(define relay
  (wireguard-peer (inherit (car peers))
                  (keep-alive 25)
                  (endpoint (string-append "relay.example:" (number->string (* 2 keep-alive))))))
(define backup (wireguard-peer (inherit relay) (allowed-ips '("10.9.0.0/24"))))

;; A quasiquoted argument, read as (quasiquote …), is data, no field: it compiles.
(define rewrite (package-input-rewriting `((,wireguard-tools . ,wireguard-tools))))

;; A clause headed by a list is a pattern of the unknown form, no field: it compiles, and the
;; names its pattern binds are not taken for unknown names.
(define tuned
  (substitute-keyword-arguments (package-arguments wireguard-tools)
    ((#:make-flags flags '()) `(cons "V=1" ,flags))))

(operating-system
  (host-name (string-downcase (wireguard-peer-name backup)))
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (kernel-arguments
   (append (map wireguard-peer-name (others "SOUTH"))
           (append-map wireguard-peer-allowed-ips (list relay backup))
           (list (wireguard-peer-endpoint backup))))
  (file-systems %base-file-systems)
  (services (cons (service wireguard-service-type
                           (wireguard-configuration (peers (others "NORTH"))))
                  %base-services)))
