;; display, write and newline to a string port (Steel's, which ingot's printing honours):
;; the text lands in the port, never on ingot's stdout or stderr.
(define port (open-output-string))
(display "root" port)
(write "-fs" port)
(newline port)

(image
  (name 'string-port)
  (format 'disk-image)
  (partition-table-type 'gpt)
  (operating-system #false)
  (partitions (list (partition (label (get-output-string port)) (size 4194304)))))
