;; error: opaque-field-to-string.scm:12:34: `wireguard-peer-name` is not known to ingot, and string=? needs a string here
;; A peer's name computed from the config is kept unevaluated inside the opaque wireguard-peer
;; form, so its accessor stays opaque; string=? is told which name it came from, not Steel's
;; conversion error.
(use-modules (gnu) (gnu services vpn) (srfi srfi-1))

(define hosts '(("alpha" . "10.0.0.2") ("beta" . "10.0.0.3")))
(define peers
  (map (lambda (host) (wireguard-peer (name (car host)) (allowed-ips (list (cdr host)))))
       hosts))

(define kept (remove (lambda (p) (string=? (wireguard-peer-name p) "alpha")) peers))

(operating-system
  (host-name "wg")
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems %base-file-systems)
  (services (cons (service wireguard-service-type (wireguard-configuration (peers kept)))
                  %base-services)))
