;; A config that asks whether a host file exists (a service only where a program is
;; installed): a definition does not look at the host, so the answer is #f, with a warning.
;; Inside the load path (the definition's own files) the answer is the true one.
(use-modules (gnu))

(define %extra-arguments
  (if (file-exists? "/usr/bin/some-daemon") (list "daemon=yes") (list "daemon=no")))

(operating-system
  (host-name "probe")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (kernel-arguments (append %extra-arguments
                            (map (lambda (f) (if f "yes" "no"))
                                 (list (file-exists? "files/marker.scm")
                                       (file-exists? "files/no-such-file.scm")
                                       (file-is-directory? "files")
                                       (file-is-directory? "files/marker.scm")))))
  (file-systems %base-file-systems))
