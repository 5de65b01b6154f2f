;; error: title-misspelt.scm:9:55: file-system: field title: expected 'device, 'label or 'uuid (the form of Guix before 1.0) (got 'lable)
;; error: hint: did you mean 'label? Today's Guix writes (device (file-system-label "…")) or (device (uuid "…")), with no title
;; Guix before 1.0 took any other title as 'device: the label "my-root" would have become a
;; device file name. ingot refuses it, with a did-you-mean.
(use-modules (gnu))
(operating-system
  (host-name "titled")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/sda"))))
  (file-systems (cons (file-system (device "my-root") (title 'lable) (mount-point "/")
                                   (type "ext4"))
                      %base-file-systems)))
