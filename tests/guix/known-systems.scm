;; Guix's ready-made systems are operating-systems whose fields ingot reads: inherit the
;; installer's and the Hurd's, and %root-account for a user; getenv says every variable is
;; unset; privileged-programs (today's setuid-programs) and mapped-device arguments are taken.
(use-modules (gnu) (gnu system install) (gnu system hurd))

(define hurd-root-label
  (file-system-label->string
   (file-system-device (car (operating-system-file-systems %hurd-default-operating-system)))))

(define admin
  (user-account (inherit %root-account) (shell "/run/current-system/profile/bin/zsh")))

(unless (and (equal? (user-account-uid admin) 0)
             (equal? (user-account-home-directory admin) "/root")
             (not (getenv "HOME"))
             (equal? hurd-root-label "hurd")
             (equal? (operating-system-kernel-arguments %hurd-default-operating-system) '("noide")))
  (error "known systems"))

(operating-system
  (inherit installation-os)
  (host-name (or (getenv "HOSTNAME") "installer"))
  (users (list admin))
  (mapped-devices (list (mapped-device
                          (source "/dev/sda2")
                          (target "crypt")
                          (type luks-device-mapping)
                          (arguments '(#:allow-discards? #t)))))
  (privileged-programs '()))
