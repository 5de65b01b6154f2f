;; A config reads a text kept beside it (a motd in a .tmpl): open-input-file,
;; call-with-input-file, read-line, get-line and get-string-all on its own Scheme sources.
;; Lines come without their newline, and the eof object after the last.
(use-modules (gnu) (ice-9 rdelim) (ice-9 textual-ports))

(define motd-lines
  (call-with-input-file "files/motd.tmpl"
    (lambda (port)
      (let* ((first (read-line port))
             (second (get-line port)))
        (list first second (eof-object? (read-line port)))))))

(define motd-text (get-string-all (open-input-file "files/motd.tmpl")))

(operating-system
  (host-name (string-append (car motd-lines) "-"
                            (number->string (string-length (cadr motd-lines)))
                            (if (caddr motd-lines) "-end" "-more")))
  (label (read-line (open-input-file "files/motd.tmpl")))
  (kernel-arguments (list (string-append "motd-length="
                                         (number->string (string-length motd-text)))))
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (file-systems (cons (file-system (mount-point "/") (device (file-system-label "root"))
                                   (type "ext4"))
                      %base-file-systems)))
