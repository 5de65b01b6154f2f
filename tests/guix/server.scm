;; A headless server: BIOS GRUB, file systems by label, OpenSSH on a custom port,
;; and a static network configuration.
(use-modules (gnu))
(use-service-modules networking ssh)
(use-package-modules admin certs screen ssh)

(define %ssh-service
  (service openssh-service-type
           (openssh-configuration
            (port-number 2222)
            (password-authentication? #false)
            (authorized-keys
             `(("admin" ,(local-file "files/admin.pub")))))))

(operating-system
  (host-name "komputilo")
  (timezone "Europe/Berlin")
  (locale "en_US.utf8")

  ;; Guix titles the boot menu entry with the label.
  (label (string-append "Komputilo, " "server"))
  (bootloader (bootloader-configuration
               (bootloader grub-bootloader)
               (targets '("/dev/sda"))
               (timeout 2)))

  (kernel-arguments (cons "console=ttyS0,115200" %default-kernel-arguments))

  (file-systems (cons* (file-system
                         (device (file-system-label "my-root"))
                         (mount-point "/")
                         (type "ext4"))
                       (file-system
                         (device (file-system-label "my-data"))
                         (mount-point "/srv")
                         (type "ext4")
                         (create-mount-point? #t))
                       %base-file-systems))

  (users (cons (user-account
                (name "admin")
                (group "users")
                (supplementary-groups '("wheel")))
               %base-user-accounts))

  (packages (cons* screen tcpdump %base-packages))

  (services (append (list (service static-networking-service-type
                                   (list (static-networking
                                          (addresses
                                           (list (network-address
                                                  (device "eth0")
                                                  (value "10.0.0.2/24"))))
                                          (routes
                                           (list (network-route
                                                  (destination "default")
                                                  (gateway "10.0.0.1"))))
                                          (name-servers '("10.0.0.1")))))
                          %ssh-service)
                    %base-services))

  (root-tree "files/rootfs"))
