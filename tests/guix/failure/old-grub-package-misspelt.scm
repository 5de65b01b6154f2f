;; error: old-grub-package-misspelt.scm:9:15: grub-configuration: field grub: expected the package grub (BIOS) or grub-efi (UEFI)
;; error: hint: `grub-efl` is not defined: did you mean grub-efi?
;; Guix before 0.14 chose GRUB for EFI with (grub grub-efi). A misspelt package is an error
;; (Guix: unbound variable); before, it silently became BIOS GRUB and the image lost EFI.
(use-modules (gnu))

(operating-system
  (host-name "old-style")
  (bootloader (grub-configuration (grub grub-efl) (device "/dev/sda")))
  (file-systems (cons (file-system (device (file-system-label "root")) (mount-point "/")
                                   (type "ext4"))
                      %base-file-systems)))
