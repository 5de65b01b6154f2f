;; Guix 1.3's image module style: a parent image with no operating-system clause (the field
;; defaulted to #f then), inherited by the image that is built, and the platform called `hurd`
;; as (gnu platforms hurd) of that time named it. The 64-bit Hurd's default system is known.
(use-modules (gnu) (gnu image) (gnu system hurd) (gnu platforms hurd))

(define slate-parent
  (image
    (format 'disk-image)
    (platform hurd)
    (partitions
      (list (partition
              (size 'guess)
              (label "slate-root")
              (file-system "ext2")
              (flags '(boot)))))))

(image
  (inherit slate-parent)
  (name 'slate)
  (operating-system
    (operating-system
      (inherit %hurd64-default-operating-system)
      (host-name "slate"))))
