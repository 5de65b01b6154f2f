;; error: bootloader-target-list.scm:8:41: bootloader-configuration: field target: expected a string or #f; a list of devices goes in (targets …)
;; The deprecated one-device `target` given the list `targets` takes: the message says where
;; the list belongs.
(use-modules (gnu))

(operating-system
  (host-name "h")
  (bootloader (bootloader-configuration (target '("/dev/sda")) (bootloader grub-bootloader)))
  (file-systems (cons (file-system (mount-point "/") (device (file-system-label "root"))
                                   (type "ext4"))
                      %base-file-systems)))
