;;; ingot prelude: records with the semantics of Guix's `define-record-type*`.
;;;
;;; A record constructor is a macro, `(partition (field value) ...)`, optionally starting with
;;; `(inherit parent)`. Field values are evaluated in the order written, each field name bound
;;; for the values after it; then `%make-record` checks names (unknown, duplicate, missing
;;; mandatory), fills defaults or copies from the parent, and runs the field checks.
;;;
;;; A field check is a procedure returning #t when the value is acceptable, or a string saying
;;; what was expected, or a list (MESSAGE HINT) when it has a hint to add (a did-you-mean).
;;; Errors go through the Rust primitive `%record-error`, which keeps the record, field, value
;;; and source spans so that the message points into the user's file.

;;; Guix's field options: (default V); (thunked): the value is computed each time the field is
;;; read, with `this-RECORD` bound to the record read (so an inheriting record sees itself);
;;; (delayed): computed once, when first read (shared with the records inheriting it); (innate): not copied by (inherit …);
;;; (sanitize PROC): the value stored is (PROC value), as Guix does. ingot's own records use
;;; (check PROC) instead: PROC returns #t or a string saying what was expected.

;; this: #f, or the procedure that sets the record type's `this-RECORD` and returns the old
;; value (see `define-record-type*`).
(struct %rtd (name fields this))
(struct %field (name mandatory? default check thunked? delayed? innate? sanitize))
;; given: the fields written explicitly (or inherited from a parent that had them written);
;; spans: (FIELD SPAN) of each clause written, in this form or the one inherited from.
(struct %record (rtd values given location spans))
;; A thunked field's value as stored; a delayed one's, with its value once computed.
(struct %thunk (proc))
(struct %promise (proc cell))
;; What `this-RECORD` is outside a thunked field of RECORD.
(struct %outside-this (record name))

;; Every record type, for messages (the field names of a record called NAME).
(define %record-types '())
(define (%register-rtd rtd)
  (set! %record-types (cons rtd %record-types))
  rtd)

(define (%rtd-field-names rtd) (map %field-name (%rtd-fields rtd)))

;; Steel's eq? does not compare structs by identity: record types are told apart by name.
(define (%record-of? x rtd)
  (and (%record? x) (equal? (%rtd-name (%record-rtd x)) (%rtd-name rtd))))

;; Steel cannot run a macro that defines a macro: the constructor macro `(name (field v) …)`
;; of a record defined in user text is added by src/dsl/rewrite.rs.
(define-syntax define-record-type*
  (syntax-rules ()
    ((_ type name constructor predicate (field accessor option ...) ...)
     (%define-record-type* type name constructor predicate #f (field accessor option ...) ...))
    ((_ type name constructor predicate this (field accessor option ...) ...)
     (begin
       (define this (%outside-this 'name 'this))
       (%define-record-type* type name constructor predicate
                             (lambda (v) (let ((old this)) (set! this v) old))
                             (field accessor option ...) ...)))))

(define-syntax %define-record-type*
  (syntax-rules ()
    ((_ type name constructor predicate this (field accessor option ...) ...)
     (begin
       (define type (%register-rtd (%rtd 'name (list (%field-spec field option ...) ...) this)))
       (define constructor (%positional-constructor type))
       (define predicate (%record-predicate type))
       (define accessor (%record-accessor type 'field 'accessor)) ...))))

(define-syntax %field-spec
  (syntax-rules ()
    ((_ field option ...) (%field-spec* field (#t #f #f #f #f #f #f) option ...))))

;; The flags, in order: mandatory? default check thunked? delayed? innate? sanitize.
(define-syntax %field-spec*
  (syntax-rules (default check sanitize thunked delayed innate)
    ((_ field (m d c t l i s))
     (%field 'field m d c t l i s))
    ((_ field (m d c t l i s) (default value) more ...)
     (%field-spec* field (#f (lambda () value) c t l i s) more ...))
    ((_ field (m d c t l i s) (check proc) more ...)
     (%field-spec* field (m d proc t l i s) more ...))
    ((_ field (m d c t l i s) (sanitize proc) more ...)
     (%field-spec* field (m d c t l i proc) more ...))
    ((_ field (m d c t l i s) (thunked) more ...)
     (%field-spec* field (m d c #t l i s) more ...))
    ((_ field (m d c t l i s) (delayed) more ...)
     (%field-spec* field (m d c t #t i s) more ...))
    ((_ field (m d c t l i s) (innate) more ...)
     (%field-spec* field (m d c t l #t s) more ...))
    ((_ field flags other more ...)
     (%record-error 'bad-option 'define-record-type* 'field 'other
                    "a field option is (default V), (thunked), (delayed), (innate) or (sanitize PROC)"
                    #f (#%syntax-span other)))))

;; The body of every constructor macro: `form` is the whole user form, for its location.
(define-syntax %construct
  (syntax-rules (inherit)
    ((_ rtd form (inherit parent) clause ...)
     (%record-fields rtd (#%syntax-span form) parent () clause ...))
    ((_ rtd form clause ...)
     (%record-fields rtd (#%syntax-span form) #f () clause ...))))

;; Each value is wrapped in a procedure so that a thunked or delayed field keeps it unevaluated
;; (`%clause-value`); the others are evaluated here, in the order written.
(define-syntax %record-fields
  (syntax-rules ()
    ((_ rtd span parent (acc ...))
     (%make-record rtd span parent (list acc ...)))
    ((_ rtd span parent (acc ...) (field value) rest ...)
     (let ((field (%clause-value rtd 'field (lambda () value))))
       (%record-fields rtd span parent
                       (acc ... (list 'field field (#%syntax-span (field value))))
                       rest ...)))
    ((_ rtd span parent (acc ...) clause rest ...)
     (%record-error 'bad-clause (%rtd-name rtd) #f 'clause
                    "each clause must be (FIELD VALUE)" span (#%syntax-span clause)))))

(define (%find-field rtd name)
  (%find (lambda (f) (equal? (%field-name f) name)) (%rtd-fields rtd)))

(define (%clause-value rtd name proc)
  (let ((field (%find-field rtd name)))
    (cond ((not field) (proc))
          ((%field-thunked? field) (%thunk proc))
          ((%field-delayed? field) (%promise proc (box #f)))
          (else (let ((make-opaque (%ignored-field-opaque rtd name)))
                  (if make-opaque (%ignored-field-value rtd name proc make-opaque) (proc)))))))

;; Fields ingot never reads (an OS's packages and services), with what makes the opaque value
;; kept for one that cannot be computed: ((RECORD-NAME MAKE-OPAQUE FIELD …) …).
(define %ignored-fields '())
(define (%ignore-fields! record-name make-opaque fields)
  (set! %ignored-fields (cons (cons record-name (cons make-opaque fields)) %ignored-fields)))
;; MAKE-OPAQUE when NAME is an ignored field of the record type, else #f.
(define (%ignored-field-opaque rtd name)
  (let ((entry (%assq (%rtd-name rtd) %ignored-fields)))
    (and entry (member name (cddr entry)) (cadr entry))))

;; An ignored field's value computed from names ingot does not know (Guix's
;; (package-direct-inputs guix) filtered, appended …) cannot be computed, and need not be:
;; it is kept as an opaque value, said once. Any other error is the user's, as in Guix.
(define (%ignored-field-value rtd name proc make-opaque)
  (with-handler
   (lambda (e)
     (let ((message (if (error-object? e) (error-object-message e) #f)))
       (if (and (string? message) (%opaque-failure? message))
           (begin
             (%warn (string-append (symbol->string (%rtd-name rtd)) ": " (symbol->string name)
                                   ": not computed, because a value ingot does not know reached a "
                                   "procedure (" message "); ingot does not read "
                                   (symbol->string name) ", so it is kept as an opaque value"))
             (make-opaque name))
           (raise-error e))))
   (proc)))

(define (%check-value rtd field value span clause-span)
  (let ((check (%field-check field)))
    (if check
        (let ((verdict (check value)))
          (cond ((equal? verdict #t) value)
                ;; (MESSAGE HINT): what was expected, and a hint such as a did-you-mean.
                ((and (pair? verdict) (string? (car verdict)))
                 (%record-error 'field (%rtd-name rtd) (%field-name field) value
                                (car verdict) span clause-span (cadr verdict)))
                (else
                 (%record-error 'field (%rtd-name rtd) (%field-name field) value
                                (if (string? verdict) verdict "invalid value")
                                span clause-span))))
        value)))

;; A value given or defaulted, as stored: checked, then passed through the field's sanitizer;
;; a thunked or delayed one is checked and sanitized each time it is computed.
(define (%store-value rtd field value span clause-span)
  (if (or (%thunk? value) (%promise? value))
      value
      (let ((checked (%check-value rtd field value span clause-span))
            (sanitize (%field-sanitize field)))
        (if sanitize (sanitize checked) checked))))

(define (%default-value field)
  (let ((proc (%field-default field)))
    (cond ((%field-thunked? field) (%thunk proc))
          ((%field-delayed? field) (%promise proc (box #f)))
          (else (proc)))))

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
                         (%store-value rtd field (cadr clause) span (caddr clause)))
                        ((and parent (not (%field-innate? field)))
                         (%record-get parent name))
                        ((%field-mandatory? field)
                         (%record-error 'missing (%rtd-name rtd) name void
                                        "missing mandatory field" span #f))
                        (else
                         (%store-value rtd field (%default-value field) span #f)))))
              (%rtd-fields rtd)))
        (given (let ((written (map car clauses)))
                 (if parent
                     (append written
                             (filter (lambda (n) (not (member n written)))
                                     (%record-given parent)))
                     written)))
        (spans (let ((written (map (lambda (c) (list (car c) (caddr c))) clauses)))
                 (if parent
                     (append written
                             (filter (lambda (s) (not (%assq (car s) written)))
                                     (%record-spans parent)))
                     written))))
    (%record rtd values given span spans)))

;; Guix's positional constructor, `(make-thing v …)`: one value per field, in order.
(define (%positional-constructor rtd)
  (lambda args
    (let ((fields (%rtd-fields rtd)))
      (unless (= (length args) (length fields))
        (%fail (string-append "make-" (symbol->string (%rtd-name rtd)) ": expected "
                              (number->string (length fields)) " arguments, got")
               (length args)))
      (%record rtd args (%rtd-field-names rtd) #f '()))))

(define (%record-get record name)
  (let loop ((fields (%rtd-fields (%record-rtd record))) (values (%record-values record)))
    (cond ((null? fields) (error "no such field" name))
          ((equal? (%field-name (car fields)) name) (car values))
          (else (loop (cdr fields) (cdr values))))))

(define (%record-predicate rtd)
  (lambda (x) (%record-of? x rtd)))

(define (%record-accessor rtd field accessor)
  (lambda (record)
    (cond ((%record-of? record rtd) (%record-ref record field))
          ((%outside-this? record)
           (%fail (string-append (symbol->string (%outside-this-name record))
                                 " is only bound inside a thunked field of "
                                 (symbol->string (%outside-this-record record))
                                 ", got it in")
                  (symbol->string accessor)))
          (else
           (%fail (string-append (symbol->string accessor) ": expected "
                                 (%a-or-an (symbol->string (%rtd-name rtd))) ", got "
                                 (%write-string record)))))))

;; A field's value as its accessor returns it: a thunked one computed now with this-RECORD
;; bound to `record`, a delayed one computed on first use (as in Guix, without this-RECORD,
;; and shared with the records that inherit it).
(define (%record-ref record name)
  (let ((v (%record-get record name)))
    (cond ((%thunk? v) (%computed record name (%thunk-proc v)))
          ((%promise? v)
           (let ((cell (%promise-cell v)))
             (unless (unbox cell)
               (set-box! cell (list (%store-value (%record-rtd record)
                                                  (%find-field (%record-rtd record) name)
                                                  ((%promise-proc v))
                                                  (%record-location record) #f))))
             (car (unbox cell))))
          (else v))))

(define (%computed record name proc)
  (let* ((rtd (%record-rtd record))
         (field (%find-field rtd name))
         (set-this (%rtd-this rtd))
         (saved (and set-this (set-this record)))
         (value (%store-value rtd field (proc) (%record-location record) #f)))
    (when set-this (set-this saved))
    value))

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
