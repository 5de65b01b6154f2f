;; Partition uuids (GPT type GUIDs of unformatted partitions), platforms, names.
(image
  (name 'riscv-board)
  (format 'disk-image)
  (platform riscv64-linux)
  (operating-system #f)
  (partition-table-type 'gpt)
  (partitions
    (list (partition
            (size (* 1 (expt 2 20)))
            (label "spl")
            (offset (* 34 512))
            (file-system "unformatted")
            (uuid (uuid "5B193300-FC78-40CD-8002-E86C45580B47")))
          (partition
            (inherit root-partition)
            (uuid (uuid "b4f8a2d6-5c35-4f38-9bd8-5d2fbb5a6b31" 'ext4))))))
