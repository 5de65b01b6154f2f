;; Kernel packages that are no misspelling get no did-you-mean: a versioned one, and a board
;; variant far from every Guix package (a channel's). A variant one letter from Guix's own
;; (linux-libre-arm64-generc) is one, even though it starts as the variants do.
(use-modules (gnu))

(define (os-with kernel)
  (operating-system
    (host-name "h")
    (kernel kernel)
    (bootloader (bootloader-configuration (bootloader grub-bootloader)))
    (file-systems (cons (file-system (mount-point "/") (device (file-system-label "root"))
                                     (type "ext4"))
                        %base-file-systems))))

(define versioned (os-with linux-libre-6.6))
(define board (os-with linux-libre-my-odd-board))
(operating-system
  (inherit board)
  (kernel linux-libre-arm64-generc))
