;; error: deploy-machines.scm:13:1: this is a `guix deploy` file: its value is a list of 2 machine(s), not an operating-system
;; A `guix deploy` file: a list of machines, each holding an operating-system.
(use-modules (gnu) (gnu machine) (gnu machine ssh))

(define web-os
  (operating-system
    (host-name "web")
    (bootloader (bootloader-configuration (bootloader grub-bootloader)))
    (file-systems %base-file-systems)))

(define (deployed host) (machine-ssh-configuration (host-name host) (system "x86_64-linux")))

(list (machine (operating-system web-os)
               (environment managed-host-environment-type)
               (configuration (deployed "10.0.0.2")))
      (machine (operating-system web-os)
               (environment managed-host-environment-type)
               (configuration (deployed "10.0.0.3"))))
