;; A peer's endpoint the form does not give is Guix's default, which ingot does not know: its
;; accessor stays opaque, and string=? gets it. The definition cannot be computed; it goes
;; only to the services, which ingot does not read: a warning says which name it came from,
;; not Steel's conversion error. (The computed name is read: see computed-record-fields.scm.)
(use-modules (gnu) (gnu services vpn) (srfi srfi-1))

(define hosts '(("alpha" . "10.0.0.2") ("beta" . "10.0.0.3")))
(define peers
  (map (lambda (host) (wireguard-peer (name (car host)) (allowed-ips (list (cdr host)))))
       hosts))

(define kept
  (remove (lambda (p) (string=? (wireguard-peer-endpoint p) "alpha")) peers))

(operating-system
  (host-name "wg")
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems %base-file-systems)
  (services (cons (service wireguard-service-type (wireguard-configuration (peers kept)))
                  %base-services)))
