;; A Guix module name that is none of Guix's, close to one that is: Guix stops ("no code for
;; module"); ingot goes on, since its Guix names come from (gnu), and warns with the module
;; meant.
(use-modules (gnu) (gnu services networkin))

(operating-system
  (host-name "h")
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems (cons (file-system (mount-point "/") (device (file-system-label "root"))
                                   (type "ext4"))
                      %base-file-systems)))
