;;; ingot prelude: the operating-system and what it refers to — bootloaders, file systems,
;;; UUIDs, files. Guix builds an OS from packages; ingot takes its root content as given
;;; (root-tree) and keeps every other Guix field as inert data.

;;; Values ingot does not interpret: services, packages, configurations written in Guix files.
(struct %inert (kind name data))
;; A name the user's file refers to but nobody defined (e.g. `nss-certs`): a value that can
;; also be called; a call returns an %unknown-call.
(struct %unknown (name procedure) #:prop:procedure 1)
;; `(openssh-configuration (port-number 2222))` with an unknown operator: the arguments are
;; kept unevaluated (clauses? is #t: they are the form's text), or they are the values an
;; unknown procedure was applied to (clauses? is #f). It can be called too (a Guix procedure
;; returning a procedure).
;; A record form's clauses, (FIELD VALUE) …, also come as fields: a procedure that, given
;; FIELD, evaluates VALUE (see %field-dispatch), run only by the record's accessor.
(struct %unknown-call (name args procedure clauses? fields) #:prop:procedure 2)

(define (%make-unknown-call name args)
  (%make-unknown-record name args %no-fields))

(define (%make-unknown-record name args fields)
  (%check-kept-local-files args)
  (%unknown-call name args (lambda more (%apply-unknown name more)) #t fields))

;; A (local-file "NAME" …) written inside clauses ingot keeps unevaluated (a grub-theme's
;; image, a service's configuration file) names an input all the same, one Guix would stop
;; on when it is missing; ingot never reads it, so a missing one is a warning.
(define (%check-kept-local-files datum)
  (when (pair? datum)
    (if (and (equal? (car datum) 'local-file) (pair? (cdr datum)) (string? (cadr datum)))
        (let ((path (%resolve-path (cadr datum))))
          (unless (%file-exists? path)
            (%warn (string-append "(local-file " (%write-string (cadr datum))
                                  ") names a missing file, " path
                                  ": Guix stops there; ingot does not read it (it is in "
                                  "clauses ingot keeps unevaluated)"))))
        (begin
          (%check-kept-local-files (car datum))
          (%check-kept-local-files (cdr datum))))))

(define (%make-unknown name)
  (%unknown name (lambda args (%apply-unknown name args))))

;; An unknown procedure applied to values (the placeholder of an operator applied to one
;; name or literal, or an unknown value called). Guix names a record's accessors
;; RECORD-FIELD: applied to a record form ingot kept, (RECORD … (FIELD VALUE) …), it is
;; that VALUE, as Guix's accessor gives: a literal as written, a computed VALUE evaluated
;; now (in the scope it was written in); a field not given is the (inherit …)ed record
;; form's. A field given twice (Guix refuses it), or neither given nor inherited from a kept
;; form (Guix's default), stays opaque.
(define (%apply-unknown name args)
  (let ((field (and (= (length args) 1) (%record-field name (car args)))))
    (if field
        (car field)
        (%unknown-call name args (lambda more (%apply-unknown name more)) #f %no-fields))))

;; The clauses (FIELD VALUE) … of a kept record form as one procedure: given FIELD, it
;; evaluates that VALUE and returns (list VALUE), else #f. As in Guix's record constructors,
;; a VALUE sees the fields before it (a package's source uses its version): those are
;; evaluated first. A clause whose head is a list is no field: a pattern, as in
;; (substitute-keyword-arguments … ((#:flags flags) …)), whose VALUE refers to names the
;; pattern binds. (inherit X) binds no name.
(define-syntax %field-dispatch
  (syntax-rules (inherit quasiquote unquote unquote-splicing)
    ((_ key) #f)
    ((_ key ((head . more) value) clause ...) (%field-dispatch key clause ...))
    ;; `x and ,x are data, read as (quasiquote x): no field.
    ((_ key (quasiquote value) clause ...) (%field-dispatch key clause ...))
    ((_ key (unquote value) clause ...) (%field-dispatch key clause ...))
    ((_ key (unquote-splicing value) clause ...) (%field-dispatch key clause ...))
    ((_ key (inherit value) clause ...)
     (if (equal? key 'inherit) (list value) (%field-dispatch key clause ...)))
    ((_ key (field value) clause ...)
     (if (equal? key 'field)
         (list value)
         (let ((field value)) (%field-dispatch key clause ...))))))

(define (%no-fields field) #f)

;; (list VALUE) for the accessor NAME of the record form V, else #f.
(define (%record-field name v)
  (and (%unknown-call? v) (%unknown-call-clauses? v)
       (let ((accessor (symbol->string name))
             (prefix (string-append (symbol->string (%unknown-call-name v)) "-")))
         (and (> (string-length accessor) (string-length prefix))
              (string=? (substring accessor 0 (string-length prefix)) prefix)
              (%field-value
               (string->symbol (substring accessor (string-length prefix)
                                          (string-length accessor)))
               v
               %record-inherit-depth)))))

;; How many (inherit …) links an accessor follows: a chain is a few records long, and a
;; record form inheriting itself must not loop.
(define %record-inherit-depth 64)

;; (list VALUE) of FIELD in the kept record form V, else #f.
(define (%field-value field v depth)
  (let ((given (%clauses-named field v)))
    (cond ((= (length given) 1)
           (or (%clause-literal (car given))
               (%field-thunk-value field v)))
          ((and (null? given) (> depth 0) (= (length (%clauses-named 'inherit v)) 1))
           (let ((base (%field-thunk-value 'inherit v)))
             (and base
                  (%unknown-call? (car base)) (%unknown-call-clauses? (car base))
                  (equal? (%unknown-call-name (car base)) (%unknown-call-name v))
                  (%field-value field (car base) (- depth 1)))))
          (else #f))))

;; The clauses (FIELD …) of the kept record form V.
(define (%clauses-named field v)
  (let ((clauses (%unknown-call-args v)))
    (if (list? clauses)
        (filter (lambda (c) (and (pair? c) (equal? (car c) field))) clauses)
        '())))

;; (list VALUE) of a clause (FIELD VALUE) whose VALUE, evaluated, is VALUE whatever the
;; bindings, else #f.
(define (%clause-literal clause)
  (and (list? clause) (= (length clause) 2)
       (%literal-datum (cadr clause))))

;; (list VALUE) of FIELD evaluated in the record form V, else #f.
(define (%field-thunk-value field v)
  ((%unknown-call-fields v) field))

;; (list VALUE) when the datum D, evaluated, is VALUE whatever the bindings: a
;; self-evaluating literal or a quoted datum.
(define (%literal-datum d)
  (cond ((or (string? d) (number? d) (boolean? d) (char? d)) (list d))
        ((and (pair? d) (equal? (car d) 'quote) (pair? (cdr d)) (null? (cddr d)))
         (list (cadr d)))
        (else #f)))
;; A name the file defines later, until its definition runs: called, it is Guile's "Unbound
;; variable" said with the reason; stored by a top-level form, the evaluator reports it.
(struct %forward (name procedure) #:prop:procedure 1)
(define (%make-forward name)
  (%forward name
            (lambda args
              (error (string-append "`" (symbol->string name)
                                    "` is called before its definition ran")))))

;;; Files.

(struct %local-file (file name recursive?))
(struct %plain-file (name content))

;; Like Guix's, a macro: relative names are taken from the directory of the file the call is
;; written in, and a missing file is reported there.
(define (%make-local-file span file args)
  (unless (string? file)
    (%record-error 'field 'local-file 'file file "expected a file name (a string)" span #f))
  (let* ((name (if (and (pair? args) (string? (car args))) (car args) (%basename file)))
         (keys (if (and (pair? args) (string? (car args))) (cdr args) args))
         (path (%resolve-path file)))
    (%check-keywords "local-file" keys '(#:recursive? #:select?))
    (unless (%file-exists? path)
      (%record-error 'field 'local-file 'file file
                     (string-append "no such file: " path) span #f))
    (%local-file path name (%keyword-arg keys '#:recursive? #f))))

(define-syntax local-file
  (syntax-rules ()
    ((_ file . args) (%make-local-file (#%syntax-span (local-file file . args)) file (list . args)))))

(define (plain-file name content) (%plain-file name content))
;; A part of the plain-file F; an opaque F (a file from a Guix procedure ingot does not
;; know) gives an opaque result.
(define (%plain-file-accessor who get f)
  (cond ((%plain-file? f) (get f))
        ((or (%unknown? f) (%unknown-call? f)) (%make-unknown-call who (list f)))
        (else (%fail (string-append (symbol->string who) ": expected a plain-file, got "
                                    (%write-string f))))))
;; (guix gexp)'s: the name a plain-file was made with.
(define (plain-file-name f) (%plain-file-accessor 'plain-file-name %plain-file-name f))
;; (guix gexp)'s: the content a plain-file was made with.
(define (plain-file-content f) (%plain-file-accessor 'plain-file-content %plain-file-content f))
;; (gnu system)'s default sudoers file, the operating-system's sudoers-file default: root and
;; every member of the wheel group may run any command as any user.
(define %sudoers-specification
  (plain-file "sudoers" "root ALL=(ALL) ALL\n%wheel ALL=(ALL) ALL\n"))
(define (mixed-text-file name . texts) (%inert 'file name texts))
(define (computed-file name . rest) (%inert 'file name rest))
(define (program-file name . rest) (%inert 'file name rest))
(define (scheme-file name . rest) (%inert 'file name rest))
(define (file-append base . suffixes) (%inert 'file-append base suffixes))
(define (current-filename) (%current-filename))
;; Guile's source-location forms, as far as ingot knows them: the file being evaluated (no
;; line or column).
(define (current-source-location) (list (cons 'filename (%current-filename))))
(define (current-source-directory)
  (let ((file (%current-filename))) (and file (dirname file))))
;; Guile's (search-path PATH FILE): the first DIR/FILE that exists, else #f. %load-path is
;; set before each evaluation (the -L directories, then the definition's own).
(define %load-path '())
(define (search-path path file . rest)
  (let loop ((dirs path))
    (cond ((null? dirs) #f)
          ((%file-exists? (string-append (car dirs) "/" file)) (string-append (car dirs) "/" file))
          (else (loop (cdr dirs))))))

;;; UUIDs: (uuid "…") is a DCE UUID; (uuid "…" 'fat) and friends carry their type.

(struct %uuid (string type))

(define (%hex-string? s)
  (%every (lambda (c) (or (char-digit? c) (member (char-downcase c) '(#\a #\b #\c #\d #\e #\f))))
         (string->list s)))
(define (%uuid-shape? s lengths)
  (let loop ((chars (string->list s)) (lengths lengths) (count 0) (group '()))
    (cond ((null? chars)
           (and (= (length lengths) 1) (= count (car lengths))
                (%hex-string? (list->string group))))
          ((char=? (car chars) #\-)
           (and (pair? lengths) (= count (car lengths)) (pair? (cdr lengths))
                (%hex-string? (list->string group))
                (loop (cdr chars) (cdr lengths) 0 '())))
          (else (and (pair? lengths) (loop (cdr chars) lengths (+ count 1) (cons (car chars) group)))))))

;; Guix's uuid types (%uuid-parsers): file systems with DCE UUIDs are aliases of 'dce; any
;; other type is Guix's "invalid UUID" at expansion ('vfat is not one: 'fat is).
(define %dce-uuid-types '(dce ext2 ext3 ext4 bcachefs btrfs f2fs jfs xfs luks))
(define %fat-uuid-types '(fat fat16 fat32))
(define %uuid-types (append %dce-uuid-types %fat-uuid-types '(iso9660 ntfs)))

(define (%make-uuid span str type)
  (cond ((not (string? str))
         (%record-error 'field 'uuid 'string str "expected a string" span #f))
        ((not (member type %uuid-types))
         (%record-error 'field 'uuid 'type type
                        "not a uuid type of Guix: 'dce, 'fat, 'iso9660, 'ntfs, or a file system such as 'ext4"
                        span #f
                        ;; A value that is no symbol (a name ingot does not know) keeps the
                        ;; hint about that name.
                        (and (symbol? type)
                             (let ((close (%closest type %uuid-types)))
                               (if close
                                   (string-append "did you mean '" close "?")
                                   (string-append "Guix's uuid types: "
                                                  (string-join (map symbol->string %uuid-types)
                                                               " ")))))))
        ((and (member type %dce-uuid-types) (not (%uuid-shape? str '(8 4 4 4 12))))
         (%record-error 'field 'uuid 'string str
                        "expected 8-4-4-4-12 hexadecimal digits" span #f))
        ((and (member type %fat-uuid-types) (not (%uuid-shape? str '(4 4))))
         (%record-error 'field 'uuid 'string str
                        "expected a FAT volume id, XXXX-XXXX in hexadecimal" span #f))
        (else (%uuid str (cond ((member type %dce-uuid-types) 'dce)
                               ((member type %fat-uuid-types) 'fat)
                               (else type))))))

(define-syntax uuid
  (syntax-rules ()
    ((_ str) (%make-uuid (#%syntax-span (uuid str)) str 'dce))
    ((_ str type) (%make-uuid (#%syntax-span (uuid str type)) str type))))

(define (uuid->string u) (%uuid-string u))
(define (uuid? x) (%uuid? x))

(struct %file-system-label (label))
(define (file-system-label label)
  (unless (string? label)
    (%fail (string-append "file-system-label: expected a string, got " (%write-string label))))
  (%file-system-label label))
(define (file-system-label? x) (%file-system-label? x))
(define (file-system-label->string x) (%file-system-label-label x))

;;; Bootloaders: Guix's <bootloader> record. What ingot installs is told by the fields that
;;; hold code, `installer`, `disk-image-installer` and `configuration-file-generator`: the
;;; prelude's bootloaders carry ingot's marker there ('ingot:NAME), so that
;;; (bootloader (inherit grub-efi-bootloader) (name 'my-grub)) is still GRUB for EFI, and one
;;; that replaces some of them with code is too (Guix runs a disk image's installer with no
;;; device, and the layout is the inherited GRUB's): ingot warns. A bootloader none of whose
;;; code fields is inherited is one ingot cannot install.

(define-record-type* <bootloader> bootloader make-bootloader bootloader?
  (name bootloader-name)
  (package bootloader-package (default #f))
  (installer bootloader-installer (default #f))
  (disk-image-installer bootloader-disk-image-installer (default #f))
  (configuration-file bootloader-configuration-file (default #f))
  (configuration-file-generator bootloader-configuration-file-generator (default #f)))

;; `(bootloader (name …) …)` in user text is rewritten to this (see src/dsl/rewrite.rs).
(define-syntax %bootloadr
  (syntax-rules ()
    ((_ . clauses) (%construct <bootloader> (bootloader . clauses) . clauses))))

(define-syntax %define-bootloaders
  (syntax-rules ()
    ((_ id ...)
     (begin
       (define id
         (let ((marker (string->symbol (string-append "ingot:" (symbol->string 'id)))))
           (%make-record <bootloader> #f #f
                         (list (list 'name 'id #f)
                               (list 'installer marker #f)
                               (list 'disk-image-installer marker #f)
                               (list 'configuration-file-generator marker #f)))))
       ...))))

;; What ingot installs (GRUB, the boards' U-Boots) and the Guix bootloaders it knows but cannot
;; install (an image that boots with one of those is refused, naming it): a (%define-bootloaders
;; NAME …) generated from ingot's bootloader table (src/boot/bootloaders.rs).

(%ingot-table bootloaders)

(define (%bootloader-check v)
  (or (bootloader? v)
      "expected a bootloader such as grub-bootloader or grub-efi-bootloader"))
(define (%targets-check v)
  (or (equal? v #f) (and (list? v) (%every string? v))
      "expected a list of strings such as '(\"/dev/sda\")"))
(define (%string-or-false-check v) (or (equal? v #f) (string? v) "expected a string or #f"))
;; Guix's deprecated one-device field: a list given to it belongs in `targets`.
(define (%target-check v)
  (or (equal? v #f) (string? v)
      (if (list? v)
          "expected a string or #f; a list of devices goes in (targets …)"
          "expected a string or #f")))
;; Guix takes any number of seconds; GRUB waits whole seconds (ingot rounds, and says so), and
;; a negative whole number makes GRUB wait for a key (U-Boot has no such setting: refused when
;; the bootloader is known).
(define (%timeout-check v)
  (or (and (real? v) (>= v 0)) (integer? v)
      "expected a number of seconds (or a negative integer: wait for a key)"))

(define-record-type* <bootloader-configuration>
  bootloader-configuration make-bootloader-configuration bootloader-configuration?
  (bootloader bootloader-configuration-bootloader (check %bootloader-check))
  (targets bootloader-configuration-targets (default #f) (check %targets-check))
  (target bootloader-configuration-target (default #f) (check %target-check))
  (menu-entries bootloader-configuration-menu-entries (default '()))
  (default-entry bootloader-configuration-default-entry (default 0))
  (timeout bootloader-configuration-timeout (default 5) (check %timeout-check))
  (keyboard-layout bootloader-configuration-keyboard-layout (default #f))
  (theme bootloader-configuration-theme (default #f))
  (terminal-outputs bootloader-configuration-terminal-outputs (default '(gfxterm)))
  (terminal-inputs bootloader-configuration-terminal-inputs (default '()))
  (serial-unit bootloader-configuration-serial-unit (default #f))
  (serial-speed bootloader-configuration-serial-speed (default #f))
  (device-tree-support? bootloader-configuration-device-tree-support? (default #t))
  (extra-initrd bootloader-configuration-extra-initrd (default #f)))

(define-syntax bootloader-configuration
  (syntax-rules ()
    ((_ . clauses)
     (%construct <bootloader-configuration> (bootloader-configuration . clauses) . clauses))))

;; Guix before 0.14: (grub-configuration (device "/dev/sda") …), GRUB for BIOS, or for EFI
;; with (grub grub-efi). Today's bootloader-configuration, `device` becoming `targets` (with a
;; warning: today's Guix keeps grub-configuration but stops on `device`); the other clauses
;; are bootloader-configuration's own.
(define-syntax grub-configuration
  (syntax-rules ()
    ((_ . clauses)
     (%grub-clauses (grub-configuration . clauses) grub-bootloader #f () . clauses))))

;; Clause names a template writes are renamed by Steel's hygiene: `bootloader` and `targets`
;; come from a record made by a procedure and inherited; the user's clauses pass unchanged.
(define-syntax %grub-clauses
  (syntax-rules (grub device)
    ((_ form bl dev (acc ...))
     (%construct <bootloader-configuration> form (inherit (%old-grub bl dev)) acc ...))
    ((_ form bl dev (acc ...) (grub package) rest ...)
     (%grub-clauses form (%grub-package-bootloader package (#%syntax-span form)) dev
                    (acc ...) rest ...))
    ((_ form bl dev (acc ...) (device d) rest ...)
     (begin
       (%warn-at %%old-grub-device-warning (#%syntax-span form))
       (%grub-clauses form bl d (acc ...) rest ...)))
    ((_ form bl dev (acc ...) clause rest ...)
     (%grub-clauses form bl dev (acc ... clause) rest ...))))

(define %%old-grub-device-warning
  (string-append
   "grub-configuration: (device …) is the form of Guix before 0.14; today's Guix passes "
   "grub-configuration's fields to bootloader-configuration, which has no device field, and "
   "stops on it (extraneous field initializer): ingot reads it as (targets (list DEVICE)); "
   "write that"))

(define (%old-grub bl dev)
  (bootloader-configuration (bootloader bl) (targets (if dev (list dev) #f))))

;; The package named by old Guix's `grub` clause: only its name matters, grub or grub-efi;
;; any other is an error, not BIOS GRUB (a misspelt grub-efi would silently lose EFI).
(define (%grub-package-bootloader package span)
  (let ((name (and (%unknown? package) (%unknown-name package))))
    (cond ((equal? name 'grub-efi) grub-efi-bootloader)
          ((equal? name 'grub) grub-bootloader)
          (else (%record-error 'field 'grub-configuration 'grub package
                               "expected the package grub (BIOS) or grub-efi (UEFI)"
                               span #f
                               (let ((close (and name (%closest name '(grub grub-efi)))))
                                 (and close
                                      (string-append "`" (symbol->string name)
                                                     "` is not defined: did you mean "
                                                     close "?"))))))))

(define-record-type* <menu-entry> menu-entry make-menu-entry menu-entry?
  (label menu-entry-label)
  (device menu-entry-device (default #f))
  (device-mount-point menu-entry-device-mount-point (default #f))
  (linux menu-entry-linux (default #f))
  (linux-arguments menu-entry-linux-arguments (default '()))
  (initrd menu-entry-initrd (default #f))
  (multiboot-kernel menu-entry-multiboot-kernel (default #f))
  (multiboot-arguments menu-entry-multiboot-arguments (default '()))
  (multiboot-modules menu-entry-multiboot-modules (default '()))
  (chain-loader menu-entry-chain-loader (default #f)))

(define-syntax menu-entry
  (syntax-rules () ((_ . clauses) (%construct <menu-entry> (menu-entry . clauses) . clauses))))

;; ((gnu bootloader grub) grub-theme), the bootloader-configuration's theme: ingot's grub.cfg has
;; no theme, so the record is kept as written, as that of a name ingot does not know (its
;; values are code only for the accessors of such a record; a missing local-file in it is a
;; warning). Defined so that Guix's own record is not counted among the names ingot does not know.
(define-syntax grub-theme
  (syntax-rules ()
    ((_ (field value) ...)
     (%make-unknown-record 'grub-theme '((field value) ...)
                           (lambda (%field) (%field-dispatch %field (field value) ...))))
    ((_ . args) (%make-unknown-call 'grub-theme 'args))))

(define (keyboard-layout . args) (%inert 'keyboard-layout #f args))

;;; File systems (the operating-system's mount table).

(define (%device-check v)
  (or (string? v) (%file-system-label? v) (%uuid? v)
      "expected a device: a string such as \"/dev/sda1\", (file-system-label \"…\") or (uuid \"…\")"))

(define (%opaque? v) (or (%unknown? v) (%unknown-call? v)))

;; Guix's mount flags (gnu system file-systems): any other is an error at expansion.
(define %file-system-flags
  '(read-only bind-mount no-suid no-dev no-exec no-atime no-diratime strict-atime lazy-time
    remount shared))
(define (%mount-flags-check v)
  (cond ((%opaque? v) #t)
        ((not (list? v)) "expected a list of mount flags such as '(no-atime)")
        (else
         (let ((bad (filter (lambda (f) (not (or (%opaque? f) (member f %file-system-flags))))
                            v)))
           (if (null? bad)
               #t
               (let ((close (%closest (car bad) %file-system-flags)))
                 (list (string-append "invalid file system mount flag "
                                      (%write-string (car bad)))
                       (if close
                           (string-append "did you mean '" close "?")
                           (string-append "Guix's mount flags: "
                                          (string-join (map symbol->string %file-system-flags)
                                                       " "))))))))))

;; Guix's options are one string, as mount(8)'s -o takes them.
(define (%mount-options-check v)
  (cond ((or (equal? v #f) (string? v) (%opaque? v)) #t)
        ((and (list? v) (%every string? v))
         (list "expected a string or #f, not a list"
               (string-append "write (options " (%write-string (string-join v ",")) ")")))
        (else "expected a string such as \"compress=zstd,noatime\", or #f")))

;; Guix before 1.0 read (title 'label) and (title 'uuid); any other title but 'device made
;; the device a device file name, so that a misspelt one lost the label silently.
(define %file-system-titles '(device label uuid))
(define (%title-check v)
  (if (or (equal? v #f) (member v %file-system-titles))
      #t
      (let ((close (and (symbol? v) (%closest v %file-system-titles))))
        (list "expected 'device, 'label or 'uuid (the form of Guix before 1.0)"
              (if close
                  (string-append "did you mean '" close "? Today's Guix writes (device (file-system-label \"…\")) or (device (uuid \"…\")), with no title")
                  "today's Guix writes (device (file-system-label \"…\")) or (device (uuid \"…\")), with no title")))))

(define-record-type* <file-system> file-system make-file-system file-system?
  (device file-system-device (check %device-check))
  (mount-point file-system-mount-point (check %string-check))
  (type file-system-type (check %string-check))
  (flags file-system-flags (default '()) (check %mount-flags-check))
  (options file-system-options (default #f) (check %mount-options-check))
  (mount? file-system-mount? (default #t))
  (mount-may-fail? file-system-mount-may-fail? (default #f))
  (needed-for-boot? file-system-needed-for-boot? (default #f))
  (check? file-system-check? (default #t))
  (skip-check-if-clean? file-system-skip-check-if-clean? (default #t))
  (repair file-system-repair (default 'preen))
  (create-mount-point? file-system-create-mount-point? (default #f))
  (dependencies file-system-dependencies (default '()))
  (shepherd-requirements file-system-shepherd-requirements (default '()))
  ;; Guix before 1.0: how a string device is read ('device, 'label or 'uuid).
  (title file-system-title (default #f) (check %title-check)))

(define-syntax file-system
  (syntax-rules () ((_ . clauses) (%construct <file-system> (file-system . clauses) . clauses))))

(define %pseudo-terminal-file-system
  (file-system (device "none") (mount-point "/dev/pts") (type "devpts") (check? #f)
               (needed-for-boot? #f) (create-mount-point? #t) (options "gid=996,mode=620")))
(define %debug-file-system
  (file-system (type "debugfs") (device "none") (mount-point "/sys/kernel/debug")
               (check? #f) (create-mount-point? #t)))
(define %shared-memory-file-system
  (file-system (device "tmpfs") (mount-point "/dev/shm") (type "tmpfs") (check? #f)
               (flags '(no-suid no-dev)) (options "size=50%") (create-mount-point? #t)))
(define %efivars-file-system
  (file-system (device "efivarfs") (mount-point "/sys/firmware/efi/efivars") (type "efivarfs")
               (mount-may-fail? #t) (needed-for-boot? #f) (check? #f)))
(define %immutable-store
  (file-system (device "/gnu/store") (mount-point "/gnu/store") (type "none") (check? #f)
               (flags '(read-only bind-mount no-atime))))
(define %fuse-control-file-system
  (file-system (device "fusectl") (mount-point "/sys/fs/fuse/connections") (type "fusectl")
               (check? #f)))
(define %binary-format-file-system
  (file-system (device "binfmt_misc") (mount-point "/proc/sys/fs/binfmt_misc")
               (type "binfmt_misc") (check? #f)))
(define %control-groups
  (list (file-system (device "cgroup") (mount-point "/sys/fs/cgroup") (type "cgroup2")
                     (check? #f) (create-mount-point? #t))))
(define %elogind-file-systems
  (list (file-system (device "none") (mount-point "/run/systemd") (type "tmpfs") (check? #f)
                     (flags '(no-suid no-dev no-exec)) (options "mode=0755")
                     (create-mount-point? #t))
        (file-system (device "none") (mount-point "/run/user") (type "tmpfs") (check? #f)
                     (flags '(no-suid no-dev no-exec)) (options "mode=0755")
                     (create-mount-point? #t))))
(define %base-file-systems
  (list %pseudo-terminal-file-system %debug-file-system %shared-memory-file-system
        %efivars-file-system %immutable-store))

;;; Inert Guix records an operating-system refers to.

(define-record-type* <user-account> user-account make-user-account user-account?
  (name user-account-name)
  (password user-account-password (default #f))
  (uid user-account-uid (default #f))
  (group user-account-group)
  (supplementary-groups user-account-supplementary-groups (default '()))
  (comment user-account-comment (default ""))
  (home-directory user-account-home-directory (default #f))
  (create-home-directory? user-account-create-home-directory? (default #t))
  (shell user-account-shell (default "/bin/sh"))
  (system? user-account-system? (default #f)))
(define-syntax user-account
  (syntax-rules () ((_ . clauses) (%construct <user-account> (user-account . clauses) . clauses))))

(define-record-type* <user-group> user-group make-user-group user-group?
  (name user-group-name)
  (password user-group-password (default #f))
  (id user-group-id (default #f))
  (system? user-group-system? (default #f)))
(define-syntax user-group
  (syntax-rules () ((_ . clauses) (%construct <user-group> (user-group . clauses) . clauses))))

(define-record-type* <swap-space> swap-space make-swap-space swap-space?
  (target swap-space-target)
  (dependencies swap-space-dependencies (default '()))
  (priority swap-space-priority (default #f))
  (discard? swap-space-discard? (default #f)))
(define-syntax swap-space
  (syntax-rules () ((_ . clauses) (%construct <swap-space> (swap-space . clauses) . clauses))))

(define-record-type* <mapped-device> mapped-device make-mapped-device mapped-device?
  (source mapped-device-source)
  (targets %mapped-device-targets (default #f))
  (target %mapped-device-target (default #f))
  (type mapped-device-type)
  (arguments mapped-device-arguments (default '())))
(define-syntax mapped-device
  (syntax-rules () ((_ . clauses) (%construct <mapped-device> (mapped-device . clauses) . clauses))))
;; Guix keeps one list: the deprecated (target "x") is (targets '("x")), and
;; mapped-device-target is the first of them.
(define (mapped-device-targets device)
  (or (%mapped-device-targets device)
      (let ((target (%mapped-device-target device))) (and target (list target)))))
(define (mapped-device-target device)
  (or (%mapped-device-target device)
      (let ((targets (%mapped-device-targets device))) (and (pair? targets) (car targets)))))
(define luks-device-mapping (%inert 'mapped-device-kind 'luks-device-mapping '()))
(define raid-device-mapping (%inert 'mapped-device-kind 'raid-device-mapping '()))
(define lvm-device-mapping (%inert 'mapped-device-kind 'lvm-device-mapping '()))

(define %root-account
  (user-account (name "root") (password "") (uid 0) (group "root")
                (comment "System administrator") (home-directory "/root")))
(define %base-user-accounts (list %root-account))
(define %base-groups
  (map (lambda (g) (user-group (name (car g)) (id (cdr g)) (system? #t)))
       (list (cons "root" 0) (cons "wheel" #f) (cons "users" #f) (cons "nogroup" #f)
             (cons "tty" 996) (cons "dialout" #f) (cons "kmem" #f) (cons "input" #f)
             (cons "video" #f) (cons "audio" #f) (cons "netdev" #f) (cons "lp" #f)
             (cons "disk" #f) (cons "floppy" #f) (cons "cdrom" #f) (cons "tape" #f)
             (cons "kvm" #f))))

;;; (guix monads) and (guix store): a monadic value is a procedure of the store, which ingot
;;; does not have, so these forms are kept as written, not evaluated. Their bodies are Guile
;;; lambda bodies (internal defines) whose names only the monad binds (`return`, the store).

(define-syntax mlet (syntax-rules () ((_ . forms) (%make-unknown-call 'mlet 'forms))))
(define-syntax mlet* (syntax-rules () ((_ . forms) (%make-unknown-call 'mlet* 'forms))))
(define-syntax mbegin (syntax-rules () ((_ . forms) (%make-unknown-call 'mbegin 'forms))))
(define-syntax mwhen (syntax-rules () ((_ . forms) (%make-unknown-call 'mwhen 'forms))))
(define-syntax munless (syntax-rules () ((_ . forms) (%make-unknown-call 'munless 'forms))))
(define-syntax mparameterize
  (syntax-rules () ((_ . forms) (%make-unknown-call 'mparameterize 'forms))))
(define-syntax with-monad
  (syntax-rules () ((_ . forms) (%make-unknown-call 'with-monad 'forms))))
(define-syntax with-store
  (syntax-rules () ((_ . forms) (%make-unknown-call 'with-store 'forms))))

;;; Packages and services: inert, named, counted in the warning about what was ignored.

(define (specification->package spec) (%inert 'package spec '()))
(define (specification->package+output spec . output) (%inert 'package spec output))
(define (specifications->packages specs) (map specification->package specs))
(define (specifications->manifest specs) (map specification->package specs))

;; (guix build-system cargo)'s (define-cargo-inputs LOOKUP (NAME => INPUTS) …), which
;; `guix import` writes in a channel's rust-crates module: LOOKUP gives a package name's list
;; of crates (its #f entries dropped), or #f for a name it does not list.
(define-syntax define-cargo-inputs
  (syntax-rules (=>)
    ((_ lookup (name => inputs) ...)
     (define lookup
       (let ((table (list (cons 'name (lambda () inputs)) ...)))
         (lambda (package-name)
           (let ((entry (assq package-name table)))
             (and entry (filter (lambda (x) x) ((cdr entry)))))))))))

(define (%package-list names) (map (lambda (n) (%inert 'package n '())) names))
(define %base-packages-interactive
  (%package-list '("less" "mg" "nano" "nvi" "man-db" "info-reader" "kbd" "iw" "wireless-tools")))
(define %base-packages-linux (%package-list '("procps" "psmisc" "which" "e2fsprogs" "kmod")))
(define %base-packages-networking
  (%package-list '("inetutils" "isc-dhcp" "iproute2" "nss-certs")))
(define %base-packages-utils
  (%package-list '("bash" "coreutils" "diffutils" "findutils" "gawk" "grep" "sed" "tar"
                   "gzip" "bzip2" "xz" "zstd" "lzip" "guile" "guix")))
(define %base-packages
  (append %base-packages-interactive %base-packages-linux %base-packages-networking
          %base-packages-utils))
;; Package transformations rewrite the packages inside an object (Guix's with-transformation;
;; nonguix's nonguix-transformation-* return an os -> os procedure that swaps kernel, firmware
;; and initrd packages). ingot builds no packages and reads none of those fields' packages, so
;; the object it reads is the one given.
(define (with-transformation transformation obj . rest) obj)
(define (nonguix-transformation-guix . options) (lambda (os) os))
(define (nonguix-transformation-linux . options) (lambda (os) os))
(define (nonguix-transformation-nvidia . options) (lambda (os) os))

;; The name of a package ingot knows by name (the base lists, specification->package without
;; its @version); any other package stays opaque, as the call on it.
(define (package-name p)
  (if (and (%inert? p) (equal? (%inert-kind p) 'package) (string? (%inert-name p)))
      (let ((at (%string-index (%inert-name p) #\@)))
        (if at (substring (%inert-name p) 0 at) (%inert-name p)))
      (%make-unknown-call 'package-name (list p))))
(define (%string-index s c)
  (let loop ((i 0))
    (cond ((= i (string-length s)) #f)
          ((char=? (string-ref s i) c) i)
          (else (loop (+ i 1))))))
(define %base-packages-disk-utilities (%package-list '("parted" "dosfstools" "btrfs-progs")))

(define (%service-type name) (%inert 'service-type name '()))
(define (service type . value) (%inert 'service type value))
(define (simple-service name type value) (%inert 'service type (list name value)))
(define (service-value s) (and (%inert? s) (pair? (%inert-data s)) (car (%inert-data s))))
(define (service-kind s) (and (%inert? s) (%inert-name s)))

(define (%service-type-of s)
  (and (%inert? s) (equal? (%inert-kind s) 'service)
       (let ((type (%inert-name s)))
         (cond ((%inert? type) (%inert-name type))
               ((%unknown? type) (%unknown-name type))
               (else type)))))

(define (%type-name type)
  (cond ((%inert? type) (%inert-name type))
        ((%unknown? type) (%unknown-name type))
        (else type)))

(define (%service-list names)
  (map (lambda (n) (service (%service-type (string->symbol
                                            (string-append (symbol->string n) "-service-type")))))
       names))
(define %base-services
  (%service-list '(login virtual-terminal console-font agetty mingetty mingetty mingetty
                   mingetty mingetty mingetty static-networking syslog urandom-seed guix
                   nscd log-rotation udev sysctl special-files)))
(define %desktop-services
  (append (%service-list '(gdm screen-locker screen-locker upower accountsservice
                           cups-pk-helper colord geoclue polkit elogind dbus ntp x11-socket
                           udisks network-manager wpa-supplicant modem-manager
                           usb-modeswitch avahi pulseaudio alsa))
          (filter (lambda (s)
                    (not (equal? (%service-type-of s) 'static-networking-service-type)))
                  %base-services)))

;; (modify-services services (delete type) (type config => body) …): deletions apply; the
;; configuration rewrites are kept as procedures that are never called, since ingot runs no
;; services.
(define-syntax modify-services
  (syntax-rules ()
    ((_ services clause ...)
     (%modify-services services (list (%service-clause clause) ...)))))

(define-syntax %service-clause
  (syntax-rules (delete =>)
    ((_ (delete type)) (cons 'delete type))
    ((_ (type config => body ...)) (cons 'modify (cons type (lambda (config) body ...))))
    ((_ clause) (%bad-service-clause 'clause (#%syntax-span clause)))))

;; A modify-services clause of neither shape: which one, and what is expected. `delete` is
;; matched by its binding, as in Guile: (gnu services)'s, under a prefix or #:select name too.
(define (%bad-service-clause clause span)
  (%record-error
   'clause 'modify-services #f clause
   (string-append
    "each clause must be (delete TYPE) or (TYPE CONFIG => BODY …)"
    (if (and (pair? clause) (symbol? (car clause))
             (string-suffix? "delete" (symbol->string (car clause))))
        (string-append "; " (symbol->string (car clause)) " is not the delete of (gnu services)")
        ""))
   span span))

;; A list ending in an opaque value (appended to a service list ingot could not compute) or an
;; opaque value: what it holds is unknown, so the result is too; services are never read.
(define (%modify-services services clauses)
  (cond ((list? services)
         (filter (lambda (s)
                   (not (%any (lambda (c)
                               (and (equal? (car c) 'delete)
                                    (equal? (%type-name (cdr c)) (%service-type-of s))))
                             clauses)))
                 services))
        ((%opaque-tail? services) (%make-unknown-call 'modify-services (list services)))
        (else (%fail (string-append "modify-services: expected a list of services, got "
                                    (%write-string services))))))

(define (%opaque-tail? v) (if (pair? v) (%opaque-tail? (cdr v)) (%opaque? v)))

(define %default-kernel-arguments (list "modprobe.blacklist=usbmouse,usbkbd" "quiet"))
(define %base-initrd-modules
  (list "ahci" "usb-storage" "uas" "usbhid" "hid-generic" "hid-apple" "dm-crypt" "xts"
        "serpent_generic" "wp512" "nls_iso8859-1" "virtio_pci" "virtio_balloon"
        "virtio_blk" "virtio_net" "virtio-rng" "virtio_console" "virtio-gpu"))
(define %base-firmware (%package-list '("ath9k-htc-firmware" "openfwwf-firmware")))
(define %default-authorized-guix-keys '())
(define %default-substitute-urls (list "https://bordeaux.guix.gnu.org" "https://ci.guix.gnu.org"))
(define %setuid-programs '())
(define %default-nss (%inert 'name-service-switch '%default-nss '()))
(define %mdns-host-lookup-nss (%inert 'name-service-switch '%mdns-host-lookup-nss '()))

;;; The operating-system.

(define (%file-ref-check v)
  (or (equal? v #f) (string? v) (%local-file? v)
      "expected #f, a file name or (local-file \"…\")"))
(define (%os-bootloader-check v)
  (or (bootloader-configuration? v) "expected (bootloader-configuration …)"))
(define (%os-file-systems-check v)
  (if (and (list? v) (%every file-system? v))
      #t
      "expected a list of (file-system …) records"))
(define (%list-check v) (or (list? v) "expected a list"))

(define-record-type* <operating-system> operating-system make-operating-system operating-system?
  this-operating-system
  (kernel operating-system-kernel (default #f))
  (kernel-loadable-modules operating-system-kernel-loadable-modules (default '()))
  (kernel-arguments operating-system-user-kernel-arguments
                    (default %default-kernel-arguments) (check %list-check))
  (hurd operating-system-hurd (default #f))
  (bootloader operating-system-bootloader (check %os-bootloader-check))
  (label operating-system-label (thunked) (default #f))
  (keyboard-layout operating-system-keyboard-layout (default #f))
  (initrd operating-system-initrd (default #f))
  (initrd-modules operating-system-initrd-modules (thunked) (default %base-initrd-modules))
  (firmware operating-system-firmware (default %base-firmware))
  (host-name operating-system-host-name (check %string-check))
  (hosts-file operating-system-hosts-file (default #f))
  (mapped-devices operating-system-mapped-devices (default '()))
  (file-systems operating-system-file-systems (check %os-file-systems-check))
  (swap-devices operating-system-swap-devices (default '()))
  (users operating-system-users (default %base-user-accounts))
  (groups operating-system-groups (default %base-groups))
  (skeletons operating-system-skeletons (default '()))
  (issue operating-system-issue (default "This is the GNU system.  Welcome.\n"))
  (packages operating-system-packages (default %base-packages))
  (timezone operating-system-timezone (default "Etc/UTC"))
  (locale operating-system-locale (default "en_US.utf8"))
  (locale-definitions operating-system-locale-definitions (default '()))
  (locale-libcs operating-system-locale-libcs (default '()))
  (name-service-switch operating-system-name-service-switch (default %default-nss))
  (essential-services operating-system-essential-services (thunked) (default '()))
  (services operating-system-user-services (default %base-services))
  (pam-services operating-system-pam-services (default '()))
  (setuid-programs operating-system-setuid-programs (default %setuid-programs))
  (privileged-programs operating-system-privileged-programs (default '()))
  (sudoers-file operating-system-sudoers-file (default %sudoers-specification))
  ;; ingot's own fields.
  (root-tree operating-system-root-tree (default #f) (check %file-ref-check))
  (firmware-directory operating-system-firmware-directory (default #f)
                      (check %file-ref-check)))

;; The services Guix adds to every system, as configs modify them through
;; (essential-services (modify-services (operating-system-default-essential-services
;; this-operating-system) …)).
(define (operating-system-default-essential-services os)
  (unless (operating-system? os)
    (%fail (string-append "operating-system-default-essential-services: expected an operating-system, got " (%write-string os))))
  (%service-list '(system boot host-name account pam setuid-program shepherd-root
                   user-processes file-systems firmware profile)))

;; What ingot never reads of an OS (src/dsl/convert.rs reads the bootloader, kernel, initrd,
;; kernel arguments, label, host name, file systems, mapped devices and its own fields).
(%ignore-fields! 'operating-system (lambda (field) (%make-unknown-call field '()))
                 '(packages services essential-services users groups skeletons issue
                   name-service-switch pam-services setuid-programs privileged-programs
                   sudoers-file locale-definitions locale-libcs firmware hosts-file
                   swap-devices))

(define operating-system-kernel-arguments operating-system-user-kernel-arguments)
(define operating-system-services operating-system-user-services)

(define-syntax operating-system
  (syntax-rules ()
    ((_ . clauses) (%construct <operating-system> (operating-system . clauses) . clauses))))

;;; Guix's ready-made operating-systems, with the fields ingot reads as Guix sets them: the
;;; installer image's ((gnu system install) installation-os) and the Hurd's
;;; ((gnu system hurd) %hurd-default-operating-system and %hurd64-default-operating-system). Their packages and services are
;;; placeholders like every Guix package list.

(define installation-os
  (operating-system
    (host-name "gnu")
    (timezone "Europe/Paris")
    (bootloader (bootloader-configuration
                 (bootloader grub-bootloader)
                 (targets '("/dev/sda"))))
    (label "GNU Guix installation")
    (file-systems (cons* (file-system
                           (mount-point "/")
                           (device (file-system-label "Guix_image"))
                           (type "ext4"))
                         (file-system
                           (mount-point "/tmp")
                           (device "none")
                           (type "tmpfs"))
                         %base-file-systems))))

(define %base-packages/hurd (%package-list '("hurd" "bash" "coreutils" "findutils" "grep" "sed")))
(define %base-services/hurd %base-services)

(define %hurd-default-operating-system
  (operating-system
    (host-name "guixygnu")
    (bootloader (bootloader-configuration
                 (bootloader grub-minimal-bootloader)
                 (targets '("/dev/vda"))))
    (kernel-arguments '("noide"))
    (file-systems (cons (file-system
                          (device (file-system-label "hurd"))
                          (mount-point "/")
                          (type "ext2"))
                        %base-file-systems))
    (packages %base-packages/hurd)
    (services %base-services/hurd)))

;; Guix 1.5's 64-bit Hurd: the same fields ingot reads (its kernel is a package too).
(define %hurd64-default-operating-system
  (operating-system (inherit %hurd-default-operating-system)))

;;; The operating systems of Guix's (gnu services virtualization) and (gnu machine hetzner),
;;; with the fields ingot reads as Guix sets them (host name, bootloader, file systems, users,
;;; initrd modules); their packages and services are placeholders.

;; The childhurd: the Hurd's default system with its own host name and a menu that does not wait.
(define %hurd-vm-operating-system
  (operating-system
    (inherit %hurd-default-operating-system)
    (host-name "childhurd")
    (timezone "Europe/Amsterdam")
    (bootloader (bootloader-configuration
                 (bootloader grub-minimal-bootloader)
                 (targets '("/dev/vda"))
                 (timeout 0)))))

;; The offloading build VM (Guix makes its image with os->image and the mbr-raw type); its
;; bootloader target and tmpfs root are placeholders in Guix too, the image gives the real ones.
(define %virtual-build-machine-operating-system
  (operating-system
    (host-name "build-machine")
    (locale "en_US.utf8")
    (bootloader (bootloader-configuration
                 (bootloader grub-minimal-bootloader)
                 (targets '("/dev/null"))))
    (file-systems (cons (file-system
                          (mount-point "/")
                          (device "none")
                          (type "tmpfs"))
                        %base-file-systems))
    (users (cons (user-account
                  (name "offload")
                  (group "users")
                  (supplementary-groups '("kvm")))
                 %base-user-accounts))))

;; Hetzner Cloud servers: arm ones boot with UEFI from /dev/sda15, x86 ones with BIOS GRUB.
(define %hetzner-os-arm
  (operating-system
    (host-name "guix-arm")
    (bootloader (bootloader-configuration
                 (bootloader grub-efi-bootloader)
                 (targets (list "/boot/efi"))
                 (terminal-outputs '(console))))
    (file-systems (cons* (file-system
                           (mount-point "/")
                           (device "/dev/sda1")
                           (type "ext4"))
                         (file-system
                           (mount-point "/boot/efi")
                           (device "/dev/sda15")
                           (type "vfat"))
                         %base-file-systems))
    (initrd-modules (cons* "sd_mod" "virtio_scsi" %base-initrd-modules))))

(define %hetzner-os-x86
  (operating-system
    (inherit %hetzner-os-arm)
    (host-name "guix-x86")
    (bootloader (bootloader-configuration
                 (bootloader grub-bootloader)
                 (targets (list "/dev/sda"))
                 (terminal-outputs '(console))))
    (initrd-modules (cons "virtio_scsi" %base-initrd-modules))
    (file-systems (cons (file-system
                          (mount-point "/")
                          (device "/dev/sda1")
                          (type "ext4"))
                        %base-file-systems))))

;;; WSL's system, ((gnu system images wsl2) wsl-os): WSL starts it with its own kernel and no
;;; bootloader, so Guix gives it a bootloader that installs nothing, no file systems, and a
;;; guest user whose login the root account's shell (wsl-boot-program) starts.

;; Guix's program that boots the system and logs USER in: a file of the store to ingot.
(define (wsl-boot-program user) (program-file "wsl-boot-program" user))

;; wsl-os's bootloader, which installs nothing: WSL starts the system itself.
(define %wsl-dummy-bootloader
  (%bootloadr
    (name 'dummy-bootloader)
    (configuration-file "/var/lib/wsl-bootloader.cfg")
    (configuration-file-generator (lambda _ (plain-file "dummy-bootloader" "")))
    (installer (lambda _ #t))))

;; WSL's system: no bootloader to install, no file systems, a guest user.
(define wsl-os
  (operating-system
    (host-name "gnu")
    (timezone "Etc/UTC")
    (bootloader (bootloader-configuration
                 (bootloader %wsl-dummy-bootloader)))
    (initrd-modules '())
    (firmware '())
    (file-systems '())
    (users (cons* (user-account
                   (name "guest")
                   (group "users")
                   (supplementary-groups '("wheel"))
                   (password "")
                   (comment "Guest of GNU"))
                  (user-account
                   (inherit %root-account)
                   (shell (wsl-boot-program "guest")))
                  %base-user-accounts))
    (services (%service-list '(guix special-files)))))

