;; Strings Guix computes from what ingot cannot know: a package's version, $HOME. They stay
;; opaque values, fine where ingot ignores them (the OS label, a path nobody uses).
(define data-home (string-append (getenv "HOME") "/.local/share"))
(define menu-label (string-append "GNU Guix " (package-version guix)))

(unless (and (not (getenv "HOME")) (not (string? data-home)) (not (string? menu-label)))
  (error "opaque strings"))

(operating-system
  (host-name (string-append "opaque" "-" "host"))
  (label menu-label)
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems %base-file-systems))
