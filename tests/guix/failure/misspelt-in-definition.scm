;; error: misspelt-in-definition.scm:5:22: `base-argumnts` is not known to ingot, and append needs a list here
;; error: hint: `base-argumnts`: did you mean base-arguments?
;; A misspelt name in a definition is the definition's error, with its did-you-mean: it is
;; not put off as a value ingot cannot compute.
(define my-arguments (append base-argumnts '("quiet")))
(define base-arguments '("console=ttyS0"))
(operating-system
  (host-name "misspelt")
  (kernel-arguments my-arguments)
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (file-systems (cons (file-system (mount-point "/") (device "/dev/vda1") (type "ext4"))
                      %base-file-systems)))
