;; The sudoers idiom: Guix's default sudoers rules, read back with plain-file-content and
;; extended. The operating-system's sudoers-file default is %sudoers-specification.
(use-modules (gnu) (guix gexp))

(define sudoers
  (plain-file "sudoers"
              (string-join (list (plain-file-content %sudoers-specification)
                                 "Defaults pwfeedback")
                           "\n")))

(define base (operating-system
               (host-name "base")
               (bootloader (bootloader-configuration (bootloader grub-bootloader)))
               (file-systems %base-file-systems)))

(operating-system
  (inherit base)
  (host-name (plain-file-name sudoers))
  (kernel-arguments
   (list (plain-file-content sudoers)
         (plain-file-content (operating-system-sudoers-file base))
         (string-append (plain-file-name %sudoers-specification) ".d")))
  (sudoers-file sudoers))
