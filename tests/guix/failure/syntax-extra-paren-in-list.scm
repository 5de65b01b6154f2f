;; error: syntax-extra-paren-in-list.scm:15:57: syntax error: this `)` closes the form opened at 14:21, but line 16 goes on indented as its body
;; error: one `)` is likely too many here or shortly before (the file then has one that closes nothing, at 17:37)
;; One `)` too many closes the list of packages early: the next line is still indented as one
;; of its elements.
(use-modules (gnu))
(use-package-modules admin)
(operating-system
  (host-name "kestrel")
  (timezone "Europe/Paris")
  (bootloader (bootloader-configuration
                (bootloader grub-efi-bootloader)
                (targets '("/boot/efi"))))
  (file-systems %base-file-systems)
  (packages (append (list htop
                          (specification->package "git"))
                          (specification->package "tmux"))
                    %base-packages)))
