;; Three user modules each define a private `helper` and this file defines its own: each keeps
;; its value. Imports by #:select with a rename, #:prefix with #:hide, and #:renamer.
(use-modules (gnu)
             ((ns one) #:select ((one-arg . first-arg)))
             ((ns two) #:prefix two: #:hide (two-arg))
             ((ns two) #:select (two-arg))
             ((ns three) #:renamer (symbol-prefix-proc 'three:)))

(define helper "main")

(operating-system
  (host-name (three:label-of "box"))
  (bootloader (bootloader-configuration (bootloader grub-bootloader)))
  (file-systems (cons (file-system
                        (device (file-system-label "root"))
                        (mount-point "/")
                        (type "ext4"))
                      %base-file-systems))
  (kernel-arguments (list helper
                          (first-arg)
                          (two-arg)
                          (three:three-arg)
                          (two:joined)
                          (two:joined #:helper "k" #:sep "+")
                          (two:tag "y")
                          (three:kinds 'helper)
                          (three:kinds 'other)
                          three:renamed-export)))
