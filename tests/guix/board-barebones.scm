;; Guix's board modules export an example system, NAME-barebones-os, that configs inherit
;; and change: here the Pine64's, given another host name. Its bootloader, kernel, root
;; label and target are Guix's; as the board's image it has the board's offset.
(use-modules (gnu) (gnu system images pine64))

(operating-system
  (inherit pine64-barebones-os)
  (host-name "pine"))
