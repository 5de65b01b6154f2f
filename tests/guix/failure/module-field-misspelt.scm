;; error: module-field-misspelt.scm:9:33: widget: field modul: no such field
;; error: hint: did you mean `module`? widget fields: module
;; The hint names the field `module` as written, not ingot's internal name for it.
(use-modules (gnu) (guix records))

(define-record-type* <widget> widget make-widget widget?
  (module widget-module (default #f)))

(define presets `((a . ,(widget (modul 'x)))))

(operating-system
  (host-name "pebble")
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (file-systems %base-file-systems))
