;; Guix's offloading build VM image, as (gnu services virtualization) makes it: os->image of
;; %virtual-build-machine-operating-system with the mbr-raw type.
(use-modules (gnu) (gnu image) (gnu system image) (gnu services virtualization))

(os->image %virtual-build-machine-operating-system
           #:type (lookup-image-type-by-name 'mbr-raw))
