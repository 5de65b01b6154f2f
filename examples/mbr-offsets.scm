;; An MBR disk with partitions at explicit offsets: a FAT32 data partition at 4 MiB and an
;; ext2 partition at 64 MiB, each filled by a Scheme initializer.
;;
;;   ingot show examples/mbr-offsets.scm
;;   ingot build examples/mbr-offsets.scm

(define MiB (expt 2 20))

(image
  (format 'disk-image)
  (name 'offsets.img)
  (operating-system #false)
  (partition-table-type 'mbr)
  (partitions
    (list (partition
            (label "DATA")
            (offset (* 4 MiB))
            (size (* 48 MiB))
            (file-system "fat32")
            (initializer (lambda (root)
                           (mkdir-p root "docs")
                           (write-file root "docs/README.TXT" "written by ingot\n"))))
          (partition
            (label "scratch")
            (offset (* 64 MiB))
            (size (* 16 MiB))
            (file-system "ext2")
            (flags '(boot))
            (initializer (lambda (root)
                           (write-file root "hello" "hello from an ext2 partition\n" #o600)
                           (symlink root "hello" "hello-link")))))))
