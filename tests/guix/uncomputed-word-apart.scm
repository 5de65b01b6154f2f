;; A Guix name ingot does not know, a word apart from a name the file defines, is not taken
;; for a misspelling of it: `%copy-build-system-modules` is Guix's own, not a typo of the
;; file's `%binary-build-system-modules`, so the definition using it is kept as an opaque
;; value (ingot never needs it) instead of failing with a did-you-mean.
(use-modules (gnu))

(define %binary-build-system-modules '((guix build binary-build-system)))
(define %unpack-modules
  (append %copy-build-system-modules '((guix build utils))))

(operating-system
  (host-name "words")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (file-systems (cons (file-system (mount-point "/") (device (file-system-label "root"))
                                   (type "ext4"))
                      %base-file-systems)))
