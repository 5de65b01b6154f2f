;; Guile's character names Steel does not read itself (the ASCII mnemonics, nl, page, …),
;; beside the R7RS ones, as a channel's `(string-trim-right content #\nul)` writes them; and
;; Guile's string-trim procedures with a character, a predicate, or whitespace.
(use-modules (gnu))

(define (codes . chars)
  (map (lambda (c) (number->string (char->integer c))) chars))

(operating-system
  (host-name (string-trim-right (string-append "chars" (string #\nul #\nul)) #\nul))
  (bootloader (bootloader-configuration (bootloader grub-bootloader) (targets '("/dev/vda"))))
  (kernel-arguments (append (codes #\nul #\esc #\sp #\nl #\del #\page #\null #\tab #\a)
                            (list (string-trim "  left ")
                                  (string-trim-both "--both--" #\-)
                                  (string-trim-right "right99" char-numeric?))))
  (file-systems %base-file-systems))
