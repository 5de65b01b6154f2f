;; A pam-entry's `module` clause (a name Steel keeps for its own module form) inside a
;; service ingot does not read: the operating-system's other fields stay exact.
(use-modules (gnu) (gnu services))

(define lock-screen-pam
  (pam-service
    (name "screen-locker")
    (auth (list (pam-entry
                  (control "include")
                  (module "login"))))))

(operating-system
  (host-name "pam-box")
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (services (cons (simple-service 'lock pam-root-service-type (list lock-screen-pam))
                  %base-services))
  (file-systems %base-file-systems))
