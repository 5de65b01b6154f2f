;; A record type of the user's own, as Guix's (guix records) defines it: a self reference,
;; thunked, delayed, innate and sanitized fields, inherit, accessors, predicate and the
;; positional constructor.
(use-modules (guix records))

(define delayed-runs 0)

(define-record-type* <disk-plan> disk-plan make-disk-plan
  disk-plan?
  this-disk-plan
  (name disk-plan-name)
  (root-size disk-plan-root-size (default (* 64 1024 1024)))
  ;; thunked: computed when read, from the record read (an inheriting one sees itself)
  (root-label disk-plan-root-label (thunked)
              (default (string-append (disk-plan-name this-disk-plan) "-root")))
  ;; delayed: computed once, on first read; a record inheriting it shares the result
  (esp-size disk-plan-esp-size (delayed)
            (default (begin (set! delayed-runs (+ delayed-runs 1))
                            (* 128 1024 1024))))
  ;; sanitize: the value stored is what the procedure returns
  (flags disk-plan-flags (default 'boot)
         (sanitize (lambda (v) (if (list? v) v (list v)))))
  ;; innate: (inherit …) does not copy it
  (serial disk-plan-serial (innate) (default "none")))

(define base
  (disk-plan
    (name "b")
    (serial "S-1")))

(define child
  (disk-plan
    (inherit base)
    (name "c")
    (root-size (* 32 1024 1024))))

;; Each value is bound for the clauses after it, as in Guix.
(define explicit
  (disk-plan
    (name "x")
    (root-label (string-append name "-lbl"))
    (flags '(boot))))

(define positional (make-disk-plan "p" 4194304 "p-root" 0 '() "S-9"))

(define (plan->partition plan)
  (partition
    (label (string-append (disk-plan-root-label plan) "/"
                          (number->string (quotient (disk-plan-esp-size plan) 1024))))
    (size (disk-plan-root-size plan))
    (flags (disk-plan-flags plan))
    (file-system (if (string=? (disk-plan-serial plan) "none") "ext2" "ext4"))))

(define partitions (map plan->partition (list base child explicit positional)))
;; The esp-size of `base` again: its delayed default ran once, and `child` shared it.
(define reread (disk-plan-esp-size base))

;; Two fields with one accessor: as at Guile's top level, the last definition wins.
(define-record-type* <alias> alias make-alias alias?
  (first alias-name)
  (second alias-name (default "second")))

(image
  (name (if (and (disk-plan? child) (not (disk-plan? 1))
                 (string=? (alias-name (alias (first "first"))) "second"))
            'user-records
            'wrong))
  (format 'disk-image)
  (operating-system #false)
  (partition-table-type 'gpt)
  (size (* 1024 1024 1024 (+ delayed-runs 0)))
  (partitions partitions))
