;;; ingot prelude: the Guile and SRFI vocabulary Guix files rely on, on top of Steel.
;;;
;;; ingot has one global namespace: module forms do nothing here; the user modules they name
;;; are loaded by src/dsl/modules.rs. A user file may
;;; define names the prelude also defines (find, every, basename, …): the prelude's own code
;;; calls %-prefixed versions, so that such a definition does not change how records work.

;; `x ... ...` in a user's macro template (see src/dsl/ellipsis.rs): the template arrives as
;; (%flatten-walk (%flatten-done) TEMPLATE) with each such segment a marker
;; (%flatten-splice (x ...) ...); the walker rebuilds the form, splicing the items of each
;; marker's lists into the list around it, and hands it to its continuation. Items move one
;; at a time: Steel's templates take one ellipsis per list.
(define-syntax %flatten-walk
  (syntax-rules ()
    ((_ (k ...) (elem ...)) (%flatten-walk-list (k ...) (elem ...) ()))
    ((_ (k ...) atom) (k ... atom))))
(define-syntax %flatten-walk-list
  (syntax-rules (%flatten-splice)
    ((_ (k ...) () acc) (k ... acc))
    ((_ k ((%flatten-splice) rest ...) acc) (%flatten-walk-list k (rest ...) acc))
    ((_ k ((%flatten-splice () more ...) rest ...) acc)
     (%flatten-walk-list k ((%flatten-splice more ...) rest ...) acc))
    ((_ k ((%flatten-splice (item0 item ...) more ...) rest ...) (acc ...))
     (%flatten-walk-list k ((%flatten-splice (item ...) more ...) rest ...) (acc ... item0)))
    ((_ k ((sub ...) rest ...) acc)
     (%flatten-walk (%flatten-walk-resume k (rest ...) acc) (sub ...)))
    ((_ k (atom rest ...) (acc ...)) (%flatten-walk-list k (rest ...) (acc ... atom)))))
(define-syntax %flatten-walk-resume
  (syntax-rules ()
    ((_ k rest (acc ...) result) (%flatten-walk-list k rest (acc ... result)))))
(define-syntax %flatten-done (syntax-rules () ((_ form) form)))

(define-syntax define-module (syntax-rules () ((_ . rest) void)))
(define-syntax use-modules (syntax-rules () ((_ . rest) void)))
(define-syntax use-service-modules (syntax-rules () ((_ . rest) void)))
(define-syntax use-package-modules (syntax-rules () ((_ . rest) void)))
(define-syntax use-system-modules (syntax-rules () ((_ . rest) void)))
(define-syntax export (syntax-rules () ((_ . rest) void)))

(define-syntax define-public
  (syntax-rules ()
    ((_ (name . args) body ...) (define (name . args) body ...))
    ((_ name value) (define name value))))

;; SRFI-26 `cut`. Steel's syntax-rules gives every identifier a macro introduces the same
;; name across recursive expansions, so the parameters come from a fixed supply.
(define-syntax cut
  (syntax-rules ()
    ((_ . args) (%cut (%cut-a %cut-b %cut-c %cut-d %cut-e %cut-f %cut-g %cut-h) () () . args))))

(define-syntax %cut
  (syntax-rules (<> <...>)
    ((_ names (param ...) (call ...))
     (lambda (param ...) (call ...)))
    ((_ names (param ...) (call ...) <...>)
     (lambda (param ... . %cut-rest) (apply call ... %cut-rest)))
    ((_ (n . names) (param ...) (call ...) <> more ...)
     (%cut names (param ... n) (call ... n) more ...))
    ((_ names (param ...) (call ...) e more ...)
     (%cut names (param ...) (call ... e) more ...))))

(define (cons* first . rest)
  (if (null? rest)
      first
      (cons first (apply cons* rest))))

(define (1+ n) (+ n 1))
(define (1- n) (- n 1))

(define (iota count . args)
  (let ((start (if (null? args) 0 (car args)))
        (step (if (or (null? args) (null? (cdr args))) 1 (cadr args))))
    (let loop ((i (- count 1)) (acc '()))
      (if (< i 0)
          acc
          (loop (- i 1) (cons (+ start (* i step)) acc))))))

;; Steel's assq/assv miss entries written as quoted dotted pairs, and its eq? does not hold
;; between a symbol and the same symbol read inside such data: compare with equal?.
(define (%assoc-by same? key alist)
  (cond ((null? alist) #f)
        ((and (pair? (car alist)) (same? key (car (car alist)))) (car alist))
        (else (%assoc-by same? key (cdr alist)))))
(define (%assq key alist) (%assoc-by equal? key alist))
(define (assv key alist) (%assoc-by equal? key alist))
(define (assoc key alist) (%assoc-by equal? key alist))
(define (assoc-ref alist key)
  (let ((entry (assoc key alist)))
    (and entry (cdr entry))))

(define (remove pred lst) (filter (lambda (x) (not (pred x))) lst))
(define (delete x lst) (filter (lambda (y) (not (equal? x y))) lst))
(define (filter-map f lst)
  (let loop ((l lst) (acc '()))
    (if (null? l)
        (reverse acc)
        (let ((v (f (car l))))
          (loop (cdr l) (if v (cons v acc) acc))))))
(define (append-map f lst) (apply append (map f lst)))
(define (%find pred lst)
  (cond ((null? lst) #f)
        ((pred (car lst)) (car lst))
        (else (%find pred (cdr lst)))))
(define (%any pred lst)
  (cond ((null? lst) #f)
        ((pred (car lst)) => (lambda (v) v))
        (else (%any pred (cdr lst)))))
(define (%every pred lst)
  (let loop ((l lst) (last #t))
    (if (null? l)
        last
        (let ((v (pred (car l))))
          (and v (loop (cdr l) v))))))
(define (list-index pred lst)
  (let loop ((l lst) (i 0))
    (cond ((null? l) #f)
          ((pred (car l)) i)
          (else (loop (cdr l) (+ i 1))))))
(define (delete-duplicates lst)
  (let loop ((l lst) (acc '()))
    (cond ((null? l) (reverse acc))
          ((member (car l) acc) (loop (cdr l) acc))
          (else (loop (cdr l) (cons (car l) acc))))))
(define (and=> value proc) (and value (proc value)))

;;; SRFI-1 and Guile list procedures configs use beyond the above. (SRFI-1's `partition` is
;;; not here: the name is (gnu image)'s partition record, as in a Guix config using both.)
(define (fold-right kons knil lst)
  (if (null? lst) knil (kons (car lst) (fold-right kons knil (cdr lst)))))
(define (count pred lst)
  (let loop ((l lst) (n 0))
    (if (null? l) n (loop (cdr l) (if (pred (car l)) (+ n 1) n)))))
(define (last-pair lst)
  (if (pair? (cdr lst)) (last-pair (cdr lst)) lst))
(define (list-copy lst) (map (lambda (x) x) lst))
(define (alist-copy alist)
  (map (lambda (entry) (if (pair? entry) (cons (car entry) (cdr entry)) entry)) alist))
;; SRFI-1's (alist-delete KEY ALIST [=]): every entry whose key is KEY removed.
(define (alist-delete key alist . same)
  (let ((same? (if (null? same) equal? (car same))))
    (remove (lambda (entry) (and (pair? entry) (same? key (car entry)))) alist)))
(define (assq-ref alist key) (assoc-ref alist key))
(define (assv-ref alist key) (assoc-ref alist key))

;;; R7RS character classes and Guile's SRFI-13 string procedures.
(define (char-numeric? c) (char-digit? c))
(define (char-upper-case? c) (and (char? c) (not (char=? c (char-downcase c)))))
(define (char-lower-case? c) (and (char? c) (not (char=? c (char-upcase c)))))
(define (char-alphabetic? c) (or (char-upper-case? c) (char-lower-case? c)))
(define (digit-value c) (and (char-digit? c) (- (char->integer c) (char->integer #\0))))
;; A character, a predicate, or (the default) any character: what SRFI-13 calls char/pred.
(define (%char-matcher who pred)
  (cond ((char? pred) (lambda (c) (char=? c pred)))
        ((procedure? pred) pred)
        (else (%fail (string-append who ": expected a character or a predicate, got "
                                    (%write-string pred))))))
(define (%string-arg who s)
  (unless (string? s)
    (%fail (string-append who ": expected a string, got " (%write-string s))))
  s)
;; (string-index S CHAR-OR-PRED): the first matching index, or #f.
(define (string-index s pred)
  (list-index (%char-matcher "string-index" pred) (string->list (%string-arg "string-index" s))))
;; (string-contains S1 S2): the index in S1 where S2 starts, or #f.
(define (string-contains s1 s2)
  (%string-arg "string-contains" s1)
  (%string-arg "string-contains" s2)
  (let ((l1 (string-length s1)) (l2 (string-length s2)))
    (let loop ((i 0))
      (cond ((> (+ i l2) l1) #f)
            ((string=? (substring s1 i (+ i l2)) s2) i)
            (else (loop (+ i 1)))))))
(define (string-reverse s) (list->string (reverse (string->list (%string-arg "string-reverse" s)))))
(define (string-take s n) (substring (%string-arg "string-take" s) 0 n))
(define (string-drop s n) (substring (%string-arg "string-drop" s) n (string-length s)))
(define (string-take-right s n)
  (let ((l (string-length (%string-arg "string-take-right" s)))) (substring s (- l n) l)))
(define (string-drop-right s n)
  (let ((l (string-length (%string-arg "string-drop-right" s)))) (substring s 0 (- l n))))
;; (string-pad S N [CHAR]): S on the right of N characters (truncated from the left).
(define (string-pad s n . fill)
  (let* ((c (if (null? fill) #\space (car fill)))
         (l (string-length (%string-arg "string-pad" s))))
    (if (>= l n)
        (substring s (- l n) l)
        (string-append (list->string (map (lambda (i) c) (iota (- n l)))) s))))
(define (string-pad-right s n . fill)
  (let* ((c (if (null? fill) #\space (car fill)))
         (l (string-length (%string-arg "string-pad-right" s))))
    (if (>= l n)
        (substring s 0 n)
        (string-append s (list->string (map (lambda (i) c) (iota (- n l))))))))
(define (string-map f s) (list->string (map f (string->list (%string-arg "string-map" s)))))
(define (string-for-each f s) (for-each f (string->list (%string-arg "string-for-each" s))))
(define (string-count s pred)
  (count (%char-matcher "string-count" pred) (string->list (%string-arg "string-count" s))))
(define (string-every pred s)
  (%every (%char-matcher "string-every" pred) (string->list (%string-arg "string-every" s))))
(define (string-any pred s)
  (%any (%char-matcher "string-any" pred) (string->list (%string-arg "string-any" s))))
;; (string-tokenize S [CHAR-PRED]): the maximal runs of characters the predicate accepts
;; (by default, every character that is not whitespace).
(define (string-tokenize s . pred)
  (let ((keep? (if (null? pred)
                   (lambda (c) (not (char-whitespace? c)))
                   (%char-matcher "string-tokenize" (car pred)))))
    (let loop ((cs (string->list (%string-arg "string-tokenize" s))) (token '()) (acc '()))
      (define (flush) (if (null? token) acc (cons (list->string (reverse token)) acc)))
      (cond ((null? cs) (reverse (flush)))
            ((keep? (car cs)) (loop (cdr cs) (cons (car cs) token) acc))
            (else (loop (cdr cs) '() (flush)))))))
;; Arguments of the Guile procedures below are checked here, so that a wrong call is reported
;; by name and usage rather than by Steel's anonymous arity message.
(define (%usage who usage args lo hi)
  (let ((n (length args)))
    (when (or (< n lo) (and hi (> n hi)))
      (%fail (string-append who ": expected " usage ", got " (number->string n)
                            (if (= n 1) " argument" " arguments"))))))

;; Guile's (const VALUE): a procedure that takes any arguments and returns VALUE.
(define (const . args)
  (%usage "const" "(const VALUE)" args 1 1)
  (let ((value (car args))) (lambda ignored value)))
;; Guile's (identity VALUE): VALUE.
(define (identity . args)
  (%usage "identity" "(identity VALUE)" args 1 1)
  (car args))
;; Guile's (negate PROCEDURE): a procedure returning the opposite truth of PROCEDURE's.
(define (negate . args)
  (%usage "negate" "(negate PROCEDURE)" args 1 1)
  (let ((pred (car args)))
    (unless (procedure? pred)
      (%fail (string-append "negate: expected a procedure, got " (%write-string pred))))
    (lambda xs (not (apply pred xs)))))

;; Guile's (string-join LIST [DELIMITER [GRAMMAR]]): DELIMITER defaults to " "; GRAMMAR is
;; infix (the default), strict-infix (an empty LIST is an error), suffix or prefix.
(define (string-join . args)
  (%usage "string-join" "(string-join LIST [DELIMITER [GRAMMAR]])" args 1 3)
  (let ((strings (car args))
        (delimiter (if (pair? (cdr args)) (cadr args) " "))
        (grammar (if (and (pair? (cdr args)) (pair? (cddr args))) (caddr args) 'infix)))
    (unless (and (list? strings) (%every string? strings))
      (%fail (string-append "string-join: expected a list of strings, got " (%write-string strings))))
    (unless (string? delimiter)
      (%fail (string-append "string-join: expected a string delimiter, got " (%write-string delimiter))))
    (unless (member grammar '(infix strict-infix suffix prefix))
      (%fail (string-append "string-join: expected the grammar 'infix, 'strict-infix, 'suffix or 'prefix, got " (%write-string grammar))))
    (when (and (null? strings) (equal? grammar 'strict-infix))
      (error "string-join: an empty list with the grammar 'strict-infix"))
    (cond ((null? strings) "")
          ((equal? grammar 'suffix)
           (apply string-append (map (lambda (s) (string-append s delimiter)) strings)))
          ((equal? grammar 'prefix)
           (apply string-append (map (lambda (s) (string-append delimiter s)) strings)))
          (else
           (apply string-append
                  (car strings)
                  (map (lambda (s) (string-append delimiter s)) (cdr strings)))))))

;; Guile's (string-trim S [CHAR-PRED]), string-trim-right and string-trim-both: CHAR-PRED is a
;; character or a predicate, whitespace by default.
(define (%trim-matcher who args)
  (%usage who (string-append "(" who " STRING [CHAR-OR-PREDICATE])") args 1 2)
  (%string-arg who (car args))
  (%char-matcher who (if (pair? (cdr args)) (cadr args) char-whitespace?)))
(define (%drop-while pred chars)
  (if (and (pair? chars) (pred (car chars))) (%drop-while pred (cdr chars)) chars))
(define (string-trim . args)
  (let ((pred (%trim-matcher "string-trim" args)))
    (list->string (%drop-while pred (string->list (car args))))))
(define (string-trim-right . args)
  (let ((pred (%trim-matcher "string-trim-right" args)))
    (list->string (reverse (%drop-while pred (reverse (string->list (car args))))))))
(define (string-trim-both . args)
  (let ((pred (%trim-matcher "string-trim-both" args)))
    (list->string
     (reverse (%drop-while pred (reverse (%drop-while pred (string->list (car args)))))))))

(define (string-prefix? prefix str)
  (and (<= (string-length prefix) (string-length str))
       (string=? prefix (substring str 0 (string-length prefix)))))
(define (string-suffix? suffix str)
  (let ((ls (string-length suffix)) (l (string-length str)))
    (and (<= ls l) (string=? suffix (substring str (- l ls) l)))))

;; Guile's standard output ports, the only ports a definition can print to besides a string
;; port: display, write, newline and format print the output port's text where ingot says (the
;; REPL's stdout, else stderr) and the error and warning ports' on stderr.
(struct %guile-port (name))
(define (current-output-port) (%guile-port 'current-output-port))
(define (current-error-port) (%guile-port 'current-error-port))
(define (current-warning-port) (%guile-port 'current-warning-port))

;; Guile's file input, for a definition's own Scheme sources only (a motd kept in a .tmpl
;; beside config.scm), as include reads them; every other host file is refused. The text is read
;; whole into a string port.
(define (open-input-file file)
  (open-input-string (%read-source-file 'open-input-file file)))
(define (call-with-input-file file proc)
  (proc (open-input-string (%read-source-file 'call-with-input-file file))))
(define (%input-port who args)
  (if (and (pair? args) (input-port? (car args)))
      (car args)
      (%fail (string-append who ": expected an input port (from open-input-file or open-input-string), got "
                            (if (pair? args) (%write-string (car args)) "none")))))
;; (ice-9 rdelim)'s read-line and (ice-9 textual-ports)' get-line: the next line without
;; its newline, or the eof object at the end.
(define (read-line . args)
  (let ((line (read-line-from-port (%input-port "read-line" args))))
    (if (and (string? line) (string-suffix? "\n" line))
        (substring line 0 (- (string-length line) 1))
        line)))
(define (get-line port) (read-line port))
;; The rest of the port's text, or the eof object when nothing is left.
(define (get-string-all port)
  (let loop ((parts '()))
    (let ((line (read-line-from-port (%input-port "get-string-all" (list port)))))
      (if (eof-object? line)
          (if (null? parts) line (apply string-append (reverse parts)))
          (loop (cons line parts))))))

;; Guile's `format` for the directives configs use: ~a ~s ~d ~x ~o ~b ~c ~% ~~ ~NEWLINE. Any other directive, and a count of arguments that does not
;; match the template, is an error, as in Guile.
(define (format . all)
  (%usage "format" "(format DESTINATION TEMPLATE ARG …)" all 2 #f)
  ;; The destination is #f (return the string), #t (the output port), one of Guile's
  ;; standard ports or a string port.
  (let* ((destination (car all)) (template (cadr all)) (args (cddr all)))
    (unless (or (boolean? destination) (%output-port? destination))
      (%fail (string-append "format: the destination must be #f (return a string), #t or a port such as (current-error-port), got " (%write-string destination))))
    (unless (string? template)
      (%fail (string-append "format: expected a template string, got " (%write-string template))))
    (%format destination template args)))

(define (%format destination template args)
  (define (render value display?)
    (cond ((string? value) (if display? value (%write-string value)))
          ((symbol? value) (%write-symbol value))
          ((number? value) (number->string value))
          (else (%write-string value))))
  (define (in-radix value radix directive)
    (unless (exact-integer? value)
      (%fail (string-append "format: ~" directive " expects an exact integer, got" " "
             (%write-string value))))
    (number->string value radix))
  (let loop ((chars (string->list template)) (args args) (acc '()))
    (cond ((null? chars)
           (unless (null? args)
             (%fail (string-append "format: too many arguments for " (%write-string template)
                                   ", left over: " (%write-string args))))
           (let ((s (apply string-append (reverse acc))))
             (if destination (begin (display s destination) void) s)))
          ((and (char=? (car chars) #\~) (pair? (cdr chars)))
           (let* ((d (char-downcase (cadr chars))) (more (cddr chars)))
             (cond ((char=? d #\%) (loop more args (cons "\n" acc)))
                   ((char=? d #\~) (loop more args (cons "~" acc)))
                   ;; ~ at the end of a line: the newline and the next line's indentation
                   ;; are not output (a long template split over lines).
                   ((char=? d #\newline)
                    (loop (let skip ((cs more))
                            (if (and (pair? cs) (member (car cs) '(#\space #\tab)))
                                (skip (cdr cs))
                                cs))
                          args acc))
                   ((not (member d '(#\a #\s #\d #\x #\o #\b #\c)))
                    (%fail (string-append "format: ~" (string (cadr chars))
                                          " is not a directive ingot supports (~a ~s ~d ~x ~o ~b ~c ~% ~~), in "
                                          (%write-string template))))
                   ((null? args)
                    (%fail (string-append "format: too few arguments for " (%write-string template))))
                   (else
                    (let ((v (car args)))
                      (loop more (cdr args)
                            (cons (cond ((char=? d #\s) (render v #f))
                                        ((char=? d #\d) (in-radix v 10 "d"))
                                        ((char=? d #\x) (in-radix v 16 "x"))
                                        ((char=? d #\o) (in-radix v 8 "o"))
                                        ((char=? d #\b) (in-radix v 2 "b"))
                                        ((char=? d #\c)
                                         (if (char? v)
                                             (string v)
                                             (%fail (string-append "format: ~c expects a character, got " (%write-string v)))))
                                        (else (render v #t)))
                                  acc)))))))
          (else (loop (cdr chars) args (cons (string (car chars)) acc))))))

(define (%basename path)
  (let loop ((i (- (string-length path) 1)))
    (cond ((< i 0) path)
          ((char=? (string-ref path i) #\/) (substring path (+ i 1) (string-length path)))
          (else (loop (- i 1))))))
(define (dirname path)
  (let loop ((i (- (string-length path) 1)))
    (cond ((< i 0) ".")
          ((= i 0) (if (char=? (string-ref path 0) #\/) "/" "."))
          ((char=? (string-ref path i) #\/) (substring path 0 i))
          (else (loop (- i 1))))))

;; Guile keyword arguments (`#:type t`) arrive as symbols followed by their value. Symbols
;; made from Rust are not `eq?` to literal ones in Steel: compare with `equal?`.
(define (%keyword-arg args key default)
  (cond ((null? args) default)
        ((and (equal? (car args) key) (pair? (cdr args))) (cadr args))
        ((equal? (car args) key) (%fail (string-append (symbol->string key) " needs a value")))
        (else (%keyword-arg (cdr args) key default))))

;; ": did you mean NAME?", NAME in backquotes when it ends in a question mark of its own
;; (#:recursive?), as diagnose.rs's did_you_mean; "" when there is no NAME.
(define (%did-you-mean close)
  (cond ((not close) "")
        ((string-suffix? "?" close) (string-append ": did you mean `" close "`?"))
        (else (string-append ": did you mean " close "?"))))

(define (%check-keywords who args allowed)
  (let loop ((rest args))
    (cond ((null? rest) #t)
          ((and (member (car rest) allowed) (pair? (cdr rest))) (loop (cddr rest)))
          (else
           (let ((close (and (symbol? (car rest)) (%closest (car rest) allowed))))
             (%fail (string-append who ": unexpected argument "
                                   (if (symbol? (car rest))
                                       (symbol->string (car rest))
                                       (%write-string (car rest)))
                                   (%did-you-mean close))))))))


;; The public names of the helpers above.
(define find %find)
(define any %any)
(define every %every)
(define assq %assq)
(define basename %basename)

;; Guile's define*/lambda*: required, #:optional (NAME or (NAME DEFAULT)), #:key (NAME or
;; (NAME DEFAULT), passed as #:NAME VALUE), #:allow-other-keys, #:rest NAME or a dotted rest.
;; Defaults are evaluated in order and may use the parameters before them. Plain formals stay
;; a plain lambda. The parser walks the formals collecting
;; (required …) (optional …) (key …) rest allow-other-keys?.
(define-syntax lambda*
  (syntax-rules ()
    ((_ formals body ...) (%lambda* %req () () () #f #f formals (body ...)))))

(define-syntax define*
  (syntax-rules ()
    ((_ (name . formals) body ...) (define name (lambda* formals body ...)))
    ((_ name value) (define name value))))
;; (ice-9 optargs)' define*-public: define* and export.
(define-syntax define*-public
  (syntax-rules ()
    ((_ (name . formals) body ...) (define name (lambda* formals body ...)))
    ((_ name value) (define name value))))

(define-syntax %lambda*
  (syntax-rules (%req %opt %key)
    ;; The end: plain formals make a plain lambda.
    ((_ phase (r ...) () () #f #f () body) (lambda (r ...) . body))
    ((_ phase (r ...) () () rest #f () body) (lambda (r ... . rest) . body))
    ((_ phase req opt key rest allow () body) (%lambda*-body req opt key rest allow body))
    ((_ phase req opt key rest allow (#:optional . more) body)
     (%lambda* %opt req opt key rest allow more body))
    ((_ phase req opt key rest allow (#:key . more) body)
     (%lambda* %key req opt key rest allow more body))
    ((_ phase req opt key rest allow (#:allow-other-keys . more) body)
     (%lambda* phase req opt key rest #t more body))
    ((_ phase req opt key old-rest allow (#:rest rest . more) body)
     (%lambda* phase req opt key rest allow more body))
    ((_ %req (r ...) opt key rest allow (var . more) body)
     (%lambda* %req (r ... var) opt key rest allow more body))
    ((_ %opt req (o ...) key rest allow ((var default) . more) body)
     (%lambda* %opt req (o ... (var default)) key rest allow more body))
    ((_ %opt req (o ...) key rest allow (var . more) body)
     (%lambda* %opt req (o ... (var #f)) key rest allow more body))
    ((_ %key req opt (k ...) rest allow ((var default) . more) body)
     (%lambda* %key req opt (k ... (var default)) rest allow more body))
    ((_ %key req opt (k ...) rest allow (var . more) body)
     (%lambda* %key req opt (k ... (var #f)) rest allow more body))
    ;; A dotted rest: (a b . rest).
    ((_ phase req opt key old-rest allow rest body)
     (%lambda* phase req opt key rest allow () body))))

;; Bindings are made one at a time by recursive macros: Steel's expander mishandles a
;; pattern variable used under two different ellipses of one template.
(define-syntax %lambda*-body
  (syntax-rules ()
    ((_ req opts keys rest allow body)
     (lambda %star-args
       (%star-reqs %star-args req
         (%star-opts %star-args (map car 'keys) opts
           (%star-keys %star-args keys
             (begin
               (%star-check-rest %star-args (map car 'keys) (%star-rest? rest) allow)
               (%star-bind-rest rest %star-args body)))))))))

(define-syntax %star-reqs
  (syntax-rules ()
    ((_ left () inner) inner)
    ((_ left (r . more) inner)
     (let* ((r (%star-required left 'r)) (left (cdr left)))
       (%star-reqs left more inner)))))

(define-syntax %star-opts
  (syntax-rules ()
    ((_ left names () inner) inner)
    ((_ left names ((o od) . more) inner)
     (let* ((o (if (%star-positional? left names) (car left) od))
            (left (if (%star-positional? left names) (cdr left) left)))
       (%star-opts left names more inner)))))

;; A key's default is evaluated only when the caller does not pass the key, as in Guile: a
;; default of (error "zone needed") marks a key the caller must give.
(define-syntax %star-keys
  (syntax-rules ()
    ((_ left () inner) inner)
    ((_ left ((k kd) . more) inner)
     (let* ((given (%keyword-arg left (%star-keyword 'k) %star-absent))
            (k (if (%absent? given) kd given)))
       (%star-keys left more inner)))))

(struct %absent ())
(define %star-absent (%absent))

(define-syntax %star-rest?
  (syntax-rules () ((_ #f) #f) ((_ name) #t)))

(define-syntax %star-bind-rest
  (syntax-rules ()
    ((_ #f left body) (let () . body))
    ((_ name left body) (let ((name left)) . body))))

(define (%star-keyword name) (string->symbol (string-append "#:" (symbol->string name))))
;; Guile's "Unrecognized keyword", with the keyword meant when one is close.
(define (%unknown-keyword key keys)
  (let ((close (%closest key keys)))
    (%fail (string-append "unrecognized keyword " (symbol->string key)
                          (%did-you-mean close)
                          " (this procedure takes "
                          (string-join (map symbol->string keys) " ") ")"))))
(define (%star-keyword? x)
  (and (symbol? x) (string-prefix? "#:" (symbol->string x))))
(define (%star-required left name)
  (if (pair? left)
      (car left)
      (%fail (string-append "missing required argument " (symbol->string name)))))
;; An optional takes the next argument unless it is one of the procedure's keywords.
(define (%star-positional? left keys)
  (and (pair? left)
       (not (and (pair? keys) (%star-keyword? (car left))))))
;; What is left after the positional arguments: keyword/value pairs for #:key, anything for
;; #:rest; else nothing.
(define (%star-check-rest left keys rest? allow?)
  (cond ((and (null? keys) (not rest?) (pair? left))
         (%fail (string-append "too many arguments: " (%write-string left))))
        ((pair? keys)
         (let loop ((l left))
           (cond ((null? l) #t)
                 ((and (%star-keyword? (car l)) (pair? (cdr l)))
                  (if (or allow? rest?
                          (member (car l) (map %star-keyword keys)))
                      (loop (cddr l))
                      (%unknown-keyword (car l) (map %star-keyword keys))))
                 (rest? (loop (cdr l)))
                 (else (%fail (string-append "invalid keyword arguments: " (%write-string left)))))))
        (else #t)))

;; (ice-9 match): ingot compiles match forms where they are written (src/dsl/pattern.rs)
;; into code that calls these.
;; The span of the match form, for the message (#%syntax-span works in templates only).
(define-syntax %match-span
  (syntax-rules ()
    ((_ form) (#%syntax-span form))))
(define (%match-none value span)
  (%record-error 'match 'match #f void
                 (string-append "no matching pattern for " (%write-string value)) span #f))
(define (%match-take-right lst k) (list-tail lst (- (length lst) k)))
(define (%match-drop-right lst k)
  (let loop ((l lst) (n (- (length lst) k)) (acc '()))
    (if (<= n 0) (reverse acc) (loop (cdr l) (- n 1) (cons (car l) acc)))))

;; A top-level (load "file.scm") or (include "file.scm") is evaluated by ingot before Steel
;; sees the form (src/dsl/modules.rs), and so is a load or include with a literal path inside
;; a form; anything else, say so rather than ignore the file.
(define-syntax load
  (syntax-rules ()
    ((_ . rest)
     (%record-error 'unsupported 'load #f void
                    "inside an expression, load takes a literal path (\"file.scm\"); a computed one works at top level"
                    (#%syntax-span (load . rest)) #f))))
(define-syntax include
  (syntax-rules ()
    ((_ . rest)
     (%record-error 'unsupported 'include #f void
                    "inside an expression, include takes a literal path (\"file.scm\"); a computed one works at top level"
                    (#%syntax-span (include . rest)) #f))))

;; A definition reads no environment: every variable is unset, as Guile's getenv says.
(define (getenv name) #f)

;; (guix utils)' system parameters as a config file sees them when `guix system image` loads
;; it on an x86_64 machine: the host's system, no cross target (an image's platform takes
;; effect later, when Guix lowers the image).
(define (%current-system . ignored) "x86_64-linux")
(define (%current-target-system . ignored) #f)
(define (%target-system args)
  (if (and (pair? args) (string? (car args)))
      (car args)
      (or (%current-target-system) (%current-system))))
(define (%system-matches? args . prefixes)
  (let ((system (%target-system args)))
    (%any (lambda (p) (string-prefix? p system)) prefixes)))
(define (target-x86-64? . args) (%system-matches? args "x86_64-"))
(define (target-x86-32? . args) (%system-matches? args "i386-" "i486-" "i586-" "i686-"))
(define (target-x86? . args) (or (apply target-x86-64? args) (apply target-x86-32? args)))
(define (target-aarch64? . args) (%system-matches? args "aarch64-"))
(define (target-arm32? . args) (%system-matches? args "arm"))
(define (target-arm? . args) (or (apply target-aarch64? args) (apply target-arm32? args)))
(define (target-riscv64? . args) (%system-matches? args "riscv64-"))
(define (target-ppc64le? . args) (%system-matches? args "powerpc64le-"))
(define (target-linux? . args) (and (string-contains (%target-system args) "linux") #t))
(define (target-hurd? . args) (not (apply target-linux? args)))
(define (target-64bit? . args)
  (or (apply target-x86-64? args) (apply target-aarch64? args) (apply target-riscv64? args)
      (apply target-ppc64le? args)))

;; Keywords (#:name) are symbols spelt with their #: here: Guile's (srfi srfi-88) and
;; keyword procedures over that spelling.
(define (keyword? v)
  (and (symbol? v)
       (let ((s (symbol->string v)))
         (and (> (string-length s) 2) (string=? (substring s 0 2) "#:")))))
(define (string->keyword s) (string->symbol (string-append "#:" (%string-arg "string->keyword" s))))
(define (symbol->keyword s) (string->keyword (symbol->string s)))
(define (keyword->string k)
  (unless (keyword? k)
    (%fail (string-append "keyword->string: expected a keyword, got " (%write-string k))))
  (let ((s (symbol->string k))) (substring s 2 (string-length s))))
(define (keyword->symbol k) (string->symbol (keyword->string k)))

;; Guile's and (guix utils)' small helpers over strings, symbols and alists.
(define (string-replace-substring str old new)
  (let ((l (string-length old)))
    (let loop ((rest str) (acc '()))
      (let ((at (and (> l 0) (string-contains rest old))))
        (if at
            (loop (substring rest (+ at l) (string-length rest))
                  (cons new (cons (substring rest 0 at) acc)))
            (apply string-append (reverse (cons rest acc))))))))
(define (symbol-append . symbols)
  (string->symbol (apply string-append (map symbol->string symbols))))
(define (acons key value alist) (cons (cons key value) alist))
;; Guile's (sort LIST LESS?): a stable merge sort (so also stable-sort).
(define (sort items less?)
  (define (merge a b)
    (cond ((null? a) b)
          ((null? b) a)
          ((less? (car b) (car a)) (cons (car b) (merge a (cdr b))))
          (else (cons (car a) (merge (cdr a) b)))))
  ;; The first half and the rest, in order: merging them keeps equal items in order.
  (define (take-half l n)
    (if (= n 0) '() (cons (car l) (take-half (cdr l) (- n 1)))))
  (define (drop-half l n)
    (if (= n 0) l (drop-half (cdr l) (- n 1))))
  (let ((l (if (vector? items) (vector->list items) items)))
    (if (or (null? l) (null? (cdr l)))
        l
        (let ((half (quotient (length l) 2)))
          (merge (sort (take-half l half) less?) (sort (drop-half l half) less?))))))
(define stable-sort sort)

;; Guile's (compose f g …): f applied to the values of g …, right to left; Steel's own compose
;; is about transducers.
(define (compose . procs)
  (cond ((null? procs) (lambda (x) x))
        ((null? (cdr procs)) (car procs))
        (else (let ((f (car procs)) (g (apply compose (cdr procs))))
                (lambda args (f (apply g args)))))))

;; Guile's (string-split STR CHAR): the pieces between each CHAR, empty ones kept.
(define (string-split str ch)
  (let loop ((chars (string->list str)) (piece '()) (acc '()))
    (cond ((null? chars) (reverse (cons (list->string (reverse piece)) acc)))
          ((char=? (car chars) ch) (loop (cdr chars) '() (cons (list->string (reverse piece)) acc)))
          (else (loop (cdr chars) (cons (car chars) piece) acc)))))

;; SRFI-11 let-values / let*-values and SRFI-8 receive, over call-with-values.
(define-syntax let*-values
  (syntax-rules ()
    ((_ () body ...) (let () body ...))
    ((_ ((formals expr) rest ...) body ...)
     (call-with-values (lambda () expr)
       (lambda formals (let*-values (rest ...) body ...))))))
(define-syntax let-values
  (syntax-rules ()
    ((_ bindings body ...) (let*-values bindings body ...))))
(define-syntax receive
  (syntax-rules ()
    ((_ formals expr body ...)
     (call-with-values (lambda () expr) (lambda formals body ...)))))
(define (string-null? s) (= (string-length s) 0))
