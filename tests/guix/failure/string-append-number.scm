;; error: string-append-number.scm:7:14: string-append needs a string here, got 3
;; A Steel builtin given a value of the wrong kind is said with the builtin's name and the
;; value; before, Steel's "Cannot convert steel value: 3 to steel string".
(use-modules (gnu))

(operating-system
  (host-name (string-append "node-" (+ 1 2)))
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems (cons (file-system (mount-point "/") (device (file-system-label "root"))
                                   (type "ext4"))
                      %base-file-systems)))
