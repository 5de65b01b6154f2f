;; Partition initializers: the three Guix names, an unknown gexp, #~name, and a
;; procedure recording tree operations.
(define (fill root)
  (mkdir-p root "etc/ingot")
  (write-file root "etc/motd" "Welcome\n")
  (write-file root "etc/secret" "s" #o600)
  (symlink root "/bin/busybox" "bin/sh")
  (copy-file root "files/a.txt" "srv/a.txt")
  (copy-file root "files/a.txt" "srv/b.txt" #o640)
  (copy-recursively root "files/sub" "srv/sub"))

(image-without-os
  (format 'disk-image)
  (partitions
    (list (partition (label "root") (initializer (gexp initialize-root-partition)))
          (partition (label "efi") (initializer (gexp initialize-efi-partition)))
          (partition (label "efi32") (initializer (gexp initialize-efi32-partition)))
          (partition (label "other") (initializer (gexp my-own-initializer)))
          (partition (label "hash") (initializer #~initialize-efi-partition))
          (partition (label "default"))
          (partition (label "data") (initializer fill))
          (partition (label "inline")
                     (initializer (lambda (root) (mkdir-p root "./a//b/")))))))
