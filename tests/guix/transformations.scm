;; Package transformations around the operating-system: Guix's with-transformation and a
;; nonguix transformation applied to it; the fields ingot reads are the ones written.
(use-modules (gnu) (guix transformations) (nonguix transformations))

(define swap-mesa (options->transformation '((with-graft . "mesa=nvda"))))

(define base
  (with-transformation swap-mesa
    (operating-system
      (host-name "transformed")
      (bootloader (bootloader-configuration
                   (bootloader grub-efi-bootloader)
                   (targets '("/boot/efi"))))
      (kernel-arguments '("quiet"))
      (file-systems %base-file-systems))))

((nonguix-transformation-nvidia #:open-source-kernel-module? #t) base)
