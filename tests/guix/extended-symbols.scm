;; Guile's extended symbol syntax: `#{NAME}#` is one symbol whatever NAME holds (blanks,
;; brackets, quotes, a leading #), with `\xHEX;` escapes and `\c` for c; `#{plain}#` is the
;; symbol `plain`, so the variable of that name. format's ~a and ~s write such a symbol as
;; Guile's display and write do: in #{…}# when its name would not read back as itself.
(use-modules (gnu))

(define #{box name}# "stone")
(define #{plain}# "pebble")
(define styles
  '((#{@screen (min-width: 20em)}# ((#{#main}# .side) (colour . #{#00ff00}#)))
    (#{input[kind="text"]}# . #{}#)))

(operating-system
  (host-name (string-append plain "-" #{box name}#))
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (kernel-arguments
   (list (symbol->string (caar styles))
         (symbol->string (caar (cadar styles)))
         (symbol->string (cdr (cadr (cadar styles))))
         (symbol->string (caadr styles))
         (string-append "[" (symbol->string (cdadr styles)) "]")
         (symbol->string '#{a\x41;b\}c}}#)
         (symbol->string '#{fn}#)
         (if (eq? '#{plain}# 'plain) "same" "different")
         (format #f "~a|~s|~a" '#{x y}# '(#{1}# #{a(b}# ok #{}#) '#{tab	in}#)))
  (file-systems (cons (file-system (device (file-system-label "stone")) (mount-point "/")
                                   (type "ext4"))
                      %base-file-systems)))
