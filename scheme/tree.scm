;;; ingot prelude: what a partition initializer written in Scheme may do.
;;;
;;; `(initializer (lambda (root) (write-file root "etc/motd" "hi\n")))`: ingot calls the
;;; procedure while it reads the definition, with ROOT standing for the partition's (empty)
;;; tree; each primitive records one operation, applied when the image is built. Paths are
;;; relative to the partition root.

(struct %tree-root (id))

(define (%mode-arg who args default)
  (cond ((null? args) default)
        ((and (null? (cdr args)) (%exact-nonnegative? (car args)) (<= (car args) 4095)) (car args))
        (else (%fail (string-append who ": the optional mode must be an integer such as #o644, got")
                     (%write-string (car args))))))

(define (mkdir-p root path . mode)
  (%tree-op 'mkdir root path (%mode-arg "mkdir-p" mode #o755)))
(define (write-file root path contents . mode)
  (%tree-op 'write-file root path contents (%mode-arg "write-file" mode #o644)))
(define (copy-file root source path . mode)
  (%tree-op 'copy-file root source path (if (null? mode) #f (%mode-arg "copy-file" mode #o644))))
(define (copy-recursively root source path)
  (%tree-op 'copy-tree root source path))
(define (symlink root target path)
  (%tree-op 'symlink root target path))
