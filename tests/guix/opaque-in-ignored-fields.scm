;; A development OS whose package list is computed from a package's inputs, as Guix's own
;; devel examples do: ingot knows neither the package nor its inputs, so the definition and
;; the fields built from it cannot be computed. ingot never reads an OS's packages or
;; services: they become opaque values, each said once, and the OS shows.
(use-modules (gnu) (srfi srfi-1) (ice-9 match))
(use-package-modules base version-control)

(define (input->package input)
  (match input
    ((label (? package? package)) package)
    (_ #f)))

;; Not computed: alist-delete needs a list, and the inputs are opaque.
(define build-inputs
  (filter-map input->package
              (fold alist-delete (package-direct-inputs git) '("perl" "tcl"))))

(operating-system
  (host-name "devel")
  (bootloader (bootloader-configuration
               (bootloader grub-bootloader)
               (targets '("/dev/vda"))))
  (file-systems (cons (file-system
                        (mount-point "/")
                        (device (file-system-label "devel-root"))
                        (type "ext4"))
                      %base-file-systems))
  ;; Not computed either: append needs a list.
  (packages (append build-inputs %base-packages))
  (services (cons (service dhcp-client-service-type)
                  (append (package-propagated-inputs git) %base-services))))
