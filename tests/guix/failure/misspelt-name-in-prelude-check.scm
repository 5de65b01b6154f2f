;; error: misspelt-name-in-prelude-check.scm:10:36: file-system-label: expected a string, got #<unknown my-root-lable>
;; error: hint: `my-root-lable` is not defined: did you mean my-root-label?
;; A misspelt variable reaching a check of ingot's (file-system-label takes a string): the hint
;; is about that name, with the defined one it is close to, not a list of every opaque name.
(use-modules (gnu))
(define my-root-label "root")
(operating-system
  (host-name "h")
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems (cons (file-system (device (file-system-label my-root-lable))
                                   (mount-point "/") (type "ext4"))
                      %base-file-systems))
  (services (list (service openssh-service-type))))
