;; A record field named `module` (Steel has a `module` form; ingot renames the clause) used in
;; the unquoted part of a quasiquoted alist, as in a table of driver presets; in quoted data a
;; (module …) list stays data.
(use-modules (gnu) (guix records))

(define-record-type* <widget> widget make-widget widget?
  (module widget-module (default #f))
  (part widget-part (default "none")))

(define presets
  `((a . ,(widget (module 'pebble) (part "left")))
    (b . (module stone))))

(operating-system
  (host-name (symbol->string (widget-module (assq-ref presets 'a))))
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (kernel-arguments (list (widget-part (assq-ref presets 'a))
                          (symbol->string (car (assq-ref presets 'b)))))
  (file-systems (cons (file-system (device (file-system-label "stone")) (mount-point "/")
                                   (type "ext4"))
                      %base-file-systems)))
