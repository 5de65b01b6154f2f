;; Guile's string-join (default delimiter, grammars) and format's directives.
(define labels
  (list (string-join '("a" "b"))
        (string-join '("a" "b") "-" 'suffix)
        (string-join '("a" "b") "-" 'prefix)
        (string-join '() "-")
        (format #f "~a~s~d" "x" "y" 7)
        (format #f "~x.~o.~b.~c" 255 8 5 #\z)
        ((const "c") 1 2)
        (identity "id")
        (if ((negate string?) 1) "neg" "no")))

(image
  (name 'guile-strings)
  (format 'disk-image)
  (partition-table-type 'gpt)
  (operating-system #false)
  (partitions (map (lambda (l) (partition (label (if (string=? l "") "empty" l)) (size 4194304)))
                   labels)))
