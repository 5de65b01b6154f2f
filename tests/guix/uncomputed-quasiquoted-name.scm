;; A name in quasiquoted data is not code, so it is never taken for a misspelling: the build
;; phase's `setenv` below is data for the build side (Guile evaluates none of it), though it
;; is a few edits from getenv and is a name ingot does not know (the procedure above calls
;; it). The definition, which needs a package's arguments ingot does not know, is kept as an
;; opaque value instead of failing with "did you mean getenv?".
(use-modules (gnu) (guix packages) (guix utils))

(define (set-lang!) (setenv "LANG" "C"))

(define %tool-phases
  (append (package-arguments upstream-tool-package)
          `((add-before 'build 'set-path
              (lambda _ (setenv "PATH" "/bin") #t)))))

(operating-system
  (host-name "quasi")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (file-systems (cons (file-system (mount-point "/") (device (file-system-label "root"))
                                   (type "ext4"))
                      %base-file-systems)))
