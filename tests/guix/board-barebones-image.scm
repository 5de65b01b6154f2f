;; A board module's value, NAME-barebones-raw-image: the VisionFive 2's example system as
;; its GPT image, with the board's unformatted SPL and U-Boot partitions before the root.
(use-modules (gnu) (gnu system images visionfive2))

visionfive2-barebones-raw-image
