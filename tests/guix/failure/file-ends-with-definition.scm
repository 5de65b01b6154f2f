;; error: file-ends-with-definition.scm:6:1: the definition must end with an image or an operating-system, but its last expression is #<unspecified>
;; error: hint: its last form is a definition, which has no value: end the file with the image or operating-system to build (the name of one it defines)
;; A file (not a module) whose last form defines its system: the hint says so, not the list
;; of Guix names ingot does not know, which are not why it has no value.
(use-modules (gnu))
(define base
  (operating-system
    (host-name "ends")
    (bootloader (bootloader-configuration (bootloader grub-bootloader)))
    (services (cons (service openssh-service-type) %base-services))
    (file-systems (cons (file-system (device (file-system-label "r")) (mount-point "/")
                                     (type "ext4"))
                        %base-file-systems))))
