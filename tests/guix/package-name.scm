;; package-name of packages named by specification (and of the base list): a config that
;; filters its package list by name.
(use-modules (gnu) (srfi srfi-1))

(define chosen
  (remove (lambda (p) (string=? (package-name p) "vim"))
          (map specification->package '("git" "vim" "emacs@29.1"))))

(define without-nano
  (remove (lambda (p) (string=? (package-name p) "nano")) %base-packages))

(operating-system
  (host-name (string-join (map package-name chosen) "-"))
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (kernel-arguments (list (number->string (- (length %base-packages) (length without-nano)))))
  (packages (append chosen without-nano))
  (file-systems %base-file-systems))
