;;; ingot prelude: records with the semantics of Guix's `define-record-type*`.
;;;
;;; A record constructor is a macro, `(partition (field value) ...)`, optionally starting with
;;; `(inherit parent)`. Field values are evaluated in the order written, each field name bound
;;; for the values after it; then `%make-record` checks names (unknown, duplicate, missing
;;; mandatory), fills defaults or copies from the parent, and runs the field checks.
;;;
;;; A field check is a procedure returning #t when the value is acceptable, or a string saying
;;; what was expected. Errors go through the Rust primitive `%record-error`, which keeps the
;;; record, field, value and source spans so that the message points into the user's file.

(struct %rtd (name fields))
(struct %field (name mandatory? default check))
;; given: the fields written explicitly (or inherited from a parent that had them written).
(struct %record (rtd values given location))

(define (%rtd-field-names rtd) (map %field-name (%rtd-fields rtd)))

;; Steel's eq? does not compare structs by identity: record types are told apart by name.
(define (%record-of? x rtd)
  (and (%record? x) (equal? (%rtd-name (%record-rtd x)) (%rtd-name rtd))))

(define-syntax define-record-type*
  (syntax-rules ()
    ((_ type name constructor predicate (field accessor option ...) ...)
     (begin
       (define type (%rtd 'name (list (%field-spec field option ...) ...)))
       (define predicate (%record-predicate type))
       (define accessor (%record-accessor type 'field 'accessor)) ...))))

;; Guix's field options: (default V), (sanitize PROC); thunked/delayed/innate are accepted and
;; behave as plain fields.
(define-syntax %field-spec
  (syntax-rules ()
    ((_ field option ...) (%field-spec* field #t #f #f option ...))))

(define-syntax %field-spec*
  (syntax-rules (default sanitize)
    ((_ field mandatory default-thunk check)
     (%field 'field mandatory default-thunk check))
    ((_ field mandatory default-thunk check (default value) more ...)
     (%field-spec* field #f (lambda () value) check more ...))
    ((_ field mandatory default-thunk check (sanitize proc) more ...)
     (%field-spec* field mandatory default-thunk proc more ...))
    ((_ field mandatory default-thunk check other more ...)
     (%field-spec* field mandatory default-thunk check more ...))))

;; The body of every constructor macro: `form` is the whole user form, for its location.
(define-syntax %construct
  (syntax-rules (inherit)
    ((_ rtd form (inherit parent) clause ...)
     (%record-fields rtd (#%syntax-span form) parent () clause ...))
    ((_ rtd form clause ...)
     (%record-fields rtd (#%syntax-span form) #f () clause ...))))

(define-syntax %record-fields
  (syntax-rules ()
    ((_ rtd span parent (acc ...))
     (%make-record rtd span parent (list acc ...)))
    ((_ rtd span parent (acc ...) (field value) rest ...)
     (let ((field value))
       (%record-fields rtd span parent
                       (acc ... (list 'field field (#%syntax-span (field value))))
                       rest ...)))
    ((_ rtd span parent (acc ...) clause rest ...)
     (%record-error 'bad-clause (%rtd-name rtd) #f 'clause
                    "each clause must be (FIELD VALUE)" span (#%syntax-span clause)))))

(define (%find-field rtd name)
  (%find (lambda (f) (equal? (%field-name f) name)) (%rtd-fields rtd)))

(define (%check-value rtd field value span clause-span)
  (let ((check (%field-check field)))
    (if check
        (let ((verdict (check value)))
          (if (equal? verdict #t)
              value
              (%record-error 'field (%rtd-name rtd) (%field-name field) value
                             (if (string? verdict) verdict "invalid value")
                             span clause-span)))
        value)))

(define (%make-record rtd span parent clauses)
  (when (and parent (not (%record-of? parent rtd)))
    (%record-error 'inherit (%rtd-name rtd) #f parent
                   (string-append "(inherit …) expects " (%a-or-an (symbol->string (%rtd-name rtd))))
                   span #f))
  ;; Names first: unknown and duplicate fields.
  (let loop ((cs clauses) (seen '()))
    (when (pair? cs)
      (let* ((c (car cs)) (name (car c)))
        (cond ((not (%find-field rtd name))
               (%record-error (if (equal? name 'inherit) 'inherit-position 'unknown)
                              (%rtd-name rtd) name (cadr c)
                              (if (equal? name 'inherit)
                                  "(inherit …) must be the first clause"
                                  "no such field")
                              span (caddr c)))
              ((member name seen)
               (%record-error 'duplicate (%rtd-name rtd) name (cadr c)
                              "field given twice" span (caddr c)))
              (else (loop (cdr cs) (cons name seen)))))))
  (let ((values
         (map (lambda (field)
                (let* ((name (%field-name field))
                       (clause (%assq name clauses)))
                  (cond (clause
                         (%check-value rtd field (cadr clause) span (caddr clause)))
                        (parent
                         (%record-get parent name))
                        ((%field-mandatory? field)
                         (%record-error 'missing (%rtd-name rtd) name void
                                        "missing mandatory field" span #f))
                        (else
                         (%check-value rtd field ((%field-default field)) span #f)))))
              (%rtd-fields rtd)))
        (given (let ((written (map car clauses)))
                 (if parent
                     (append written
                             (filter (lambda (n) (not (member n written)))
                                     (%record-given parent)))
                     written))))
    (%record rtd values given span)))

(define (%record-get record name)
  (let loop ((fields (%rtd-fields (%record-rtd record))) (values (%record-values record)))
    (cond ((null? fields) (error "no such field" name))
          ((equal? (%field-name (car fields)) name) (car values))
          (else (loop (cdr fields) (cdr values))))))

(define (%record-predicate rtd)
  (lambda (x) (%record-of? x rtd)))

(define (%record-accessor rtd field accessor)
  (lambda (record)
    (if (%record-of? record rtd)
        (%record-get record field)
        (error (string-append (symbol->string accessor) ": expected "
                              (%a-or-an (symbol->string (%rtd-name rtd))) ", got")
               (%write-string record)))))

(define (%a-or-an word)
  (string-append (if (member (string-ref word 0) '(#\a #\e #\i #\o #\u)) "an " "a ") word))

(define (%record-type-name x)
  (and (%record? x) (%rtd-name (%record-rtd x))))

;;; Checks shared by several records.

(define (%list-of pred what)
  (lambda (v)
    (if (and (list? v) (%every pred v))
        #t
        (string-append "expected a list of " what))))

(define (%boolean-check v) (or (boolean? v) "expected #t or #f"))
(define (%string-check v) (or (string? v) "expected a string"))
(define (%symbol-check v) (or (symbol? v) "expected a symbol"))
(define (%exact-nonnegative? v) (and (exact-integer? v) (>= v 0)))
(define (%size-check v)
  (or (equal? v 'guess) (%exact-nonnegative? v)
      "expected a size in bytes (an exact non-negative integer) or 'guess"))

;; ($ <type> pat …): a record of that type, its fields in order. A name ingot does not know
;; is no record type, so nothing matches it.
(define (%match-record? rtd v) (and (%rtd? rtd) (%record-of? v rtd)))
(define (%match-record-fields v) (%record-values v))
