;; A name ingot does not know, tested by an if (or cond, when, and …), is an opaque value,
;; which is true: the first branch is always taken. Guile stops there with "Unbound
;; variable" when the name is a misspelling, so each such test is a warning at the name,
;; with a did-you-mean when a bound name is close.
(use-modules (gnu))

(define (laptop? host) (string-prefix? "lap" host))

(define boot
  (if (efi-firmware?) grub-efi-bootloader grub-bootloader))

(define (extra-args host)
  (cond ((not (laptopp? host)) '("quiet"))
        (else '("splash"))))

(operating-system
  (host-name "desk")
  (bootloader (bootloader-configuration (bootloader boot) (targets '("/boot/efi"))))
  (kernel-arguments (extra-args "desk"))
  (file-systems (cons (file-system (mount-point "/") (device (file-system-label "root"))
                                   (type "ext4"))
                      %base-file-systems)))
