;; Accessors of a Guix record ingot does not know, RECORD-FIELD applied to the record form:
;; the field's value when the form gives it, literal or computed (evaluated where it was
;; written), or the (inherit …)ed form's; otherwise (Guix's default) the result stays opaque.
;; A wireguard config that keeps its peers by name.
(use-modules (gnu) (gnu services vpn) (srfi srfi-1))

(define peers
  (list (wireguard-peer (name "alpha") (endpoint "alpha.example:51820")
                        (public-key "a=") (allowed-ips '("10.0.0.2/32")))
        (wireguard-peer (name "beta") (public-key "b=") (allowed-ips '("10.0.0.3/32")))
        (wireguard-peer (name (string-append "gam" "ma")) (public-key "c="))))

;; A literal or quoted value of a given field is the field's value.
(define kept
  (filter (lambda (p) (string=? (wireguard-peer-name p) "alpha")) (list (car peers) (cadr peers))))
(define ips (append-map wireguard-peer-allowed-ips (list (car peers) (cadr peers))))

;; A field neither given nor inherited (Guix's default) stays opaque. A given field wins over
;; (inherit …).
(define (opaque? v) (not (string? v)))

;; The record form and its accessor first met in one form: the accessor's argument, a call,
;; is evaluated too.
(define hostapd-ssid
  (let ((configs (list (hostapd-configuration (interface "wlan0") (ssid "home")))))
    (hostapd-configuration-ssid (car configs))))
(define derived (wireguard-peer (inherit (car peers)) (public-key "d=")))

(operating-system
  (host-name (wireguard-peer-name (car kept)))
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (kernel-arguments
   (append ips
           (map (lambda (v) (if (opaque? v) "opaque" v))
                (list (wireguard-peer-keepalive (car peers))
                      (wireguard-peer-name (caddr peers))
                      (wireguard-peer-name derived)
                      (wireguard-peer-public-key derived)
                      (wireguard-peer-endpoint (car peers))))
           (list (number->string (length kept)) hostapd-ssid)))
  (file-systems %base-file-systems)
  (services (cons (service wireguard-service-type
                           (wireguard-configuration (peers kept)))
                  %base-services)))
