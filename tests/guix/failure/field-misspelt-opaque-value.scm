;; error: field-misspelt-opaque-value.scm:7:3: operating-system: field kernal: no such field
;; A misspelt field whose value is a name ingot keeps opaque: the hint is about the field (did
;; you mean `kernel`?), not the value. Checked in src/dsl/diagnose.rs's tests too.
(use-modules (gnu))

(operating-system
  (kernal linux-libre-lts)
  (host-name "h")
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems (cons (file-system (mount-point "/") (device (file-system-label "root"))
                                   (type "ext4"))
                      %base-file-systems)))
