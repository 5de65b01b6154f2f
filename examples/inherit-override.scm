;; Inherit a standard image and override what differs: Guix's mbr-hybrid-disk-image (ESP +
;; root on MBR, bootable by BIOS and UEFI) with a bigger ESP, a relabelled root and a fixed
;; root size.
;;
;;   ingot show examples/inherit-override.scm --json

(define big-esp
  (partition
    (inherit esp-partition)
    (size (* 64 (expt 2 20)))))

(define my-root
  (partition
    (inherit root-partition)
    (label "my-root")
    (size (* 256 (expt 2 20)))))

(image
  (inherit mbr-hybrid-disk-image)
  (name 'hybrid.img)
  (partitions (list big-esp my-root)))
