;;; ingot prelude: Guix's (gnu image) records and (gnu system image) standard definitions.

;;; Initializers: Guix names build-side procedures with gexps; ingot knows three by name.

(struct %gexp (datum))
(define-syntax gexp
  (syntax-rules ()
    ((_ datum) (%gexp 'datum))))

(define (%initializer-check v)
  (or (equal? v #f) (%gexp? v) (symbol? v) (procedure? v) (pair? v)
      "expected (gexp initialize-root-partition), #f, or a procedure (lambda (root) …)"))

;;; Partitions.

;; %ingot-file-systems and its words for messages, from ingot's FileSystemKind.

(%ingot-table file-systems)
(define %guix-only-file-systems '("btrfs" "f2fs" "swap"))

(define (%partition-file-system-check v)
  (cond ((and (string? v) (member v %ingot-file-systems)) #t)
        ((and (string? v) (member v %guix-only-file-systems))
         (string-append "ingot does not build " v
                        " file systems (Guix does); use one of " %%ingot-file-systems-words))
        ((symbol? v) "expected a string such as \"ext4\", not a symbol")
        (else (string-append "expected one of " %%ingot-file-systems-quoted))))

(define (%offset-check v)
  (or (%exact-nonnegative? v) "expected an offset in bytes (an exact non-negative integer)"))

(define (%flags-check v)
  (if (and (list? v) (%every (lambda (f) (member f '(boot esp))) v))
      #t
      "expected a list of the symbols boot and esp, e.g. '(boot)"))

(define (%uuid-or-false-check v)
  (or (equal? v #f) (%uuid? v) "expected #f or a uuid such as (uuid \"…\")"))

(define-record-type* <partition> partition make-partition partition?
  (size partition-size (default 'guess) (check %size-check))
  (offset partition-offset (default 0) (check %offset-check))
  (file-system partition-file-system (default "ext4") (check %partition-file-system-check))
  (file-system-options partition-file-system-options (default '())
                       (check (%list-of string? "strings, e.g. '(\"-O\" \"^64bit\")")))
  (label partition-label (check %string-check))
  (uuid partition-uuid (default #false) (check %uuid-or-false-check))
  (flags partition-flags (default '()) (check %flags-check))
  (initializer partition-initializer (default #false) (check %initializer-check)))

(define-syntax partition
  (syntax-rules () ((_ . clauses) (%construct <partition> (partition . clauses) . clauses))))

;;; Images.

;; %image-formats and its words for messages, from ingot's format table.

(%ingot-table image-formats)

(define (%format-check v)
  (or (and (symbol? v) (member v %image-formats) #t)
      (string-append "expected one of " %%image-formats-quoted)))
(define (%image-name-check v)
  (or (equal? v #f) (symbol? v) "expected #f or a symbol such as 'my-image"))
(define (%platform-check v)
  (or (equal? v #f) (%platform? v) (string? v)
      "expected #f or a platform such as aarch64-linux"))
(define (%max-layers-check v)
  (or (equal? v #f) (and (exact-integer? v) (> v 0)) "expected #f or a positive integer"))
;; Guix before 1.4 defaulted the operating-system field to #f, so an image that is only
;; inherited from may leave it out (Guix 1.3's images/hurd.scm does); today's Guix requires it.
;; This default lets such a parent be made; an image built without one is still an error.
(struct %no-os-clause ())
(define %image-os-absent (%no-os-clause))
(define (%image-os-check v)
  (or (equal? v #f) (operating-system? v) (%no-os-clause? v)
      "expected an operating-system or #f"))
(define (%table-check v)
  (or (and (member v '(mbr gpt)) #t) "expected 'mbr or 'gpt"))
(define (%partitions-check v)
  (if (and (list? v) (%every partition? v))
      #t
      "expected a list of partition records"))

(define-record-type* <image> image make-image image?
  (name image-name (default #false) (check %image-name-check))
  (format image-format (check %format-check))
  (platform image-platform (default #false) (check %platform-check))
  ;; Guix before `platform` (2021): the GNU triplet, e.g. "aarch64-linux-gnu".
  (target image-target (default #false) (check %string-or-false-check))
  (size image-size (default 'guess) (check %size-check))
  (max-layers image-max-layers (default #false) (check %max-layers-check))
  (operating-system image-operating-system (default %image-os-absent) (check %image-os-check))
  (partition-table-type image-partition-table-type (default 'mbr) (check %table-check))
  (partitions image-partitions (default '()) (check %partitions-check))
  (compression? image-compression? (default #true) (check %boolean-check))
  (volatile-root? image-volatile-root? (default #true) (check %boolean-check))
  (shared-store? image-shared-store? (default #false) (check %boolean-check))
  (shared-network? image-shared-network? (default #false) (check %boolean-check))
  (substitutable? image-substitutable? (default #true) (check %boolean-check)))

(define-syntax image
  (syntax-rules () ((_ . clauses) (%construct <image> (image . clauses) . clauses))))

(define-record-type* <image-type> image-type make-image-type image-type?
  (name image-type-name (check %symbol-check))
  (constructor image-type-constructor
               (check (lambda (v) (or (procedure? v) "expected a procedure (lambda (os) …)")))))

(define-syntax image-type
  (syntax-rules () ((_ . clauses) (%construct <image-type> (image-type . clauses) . clauses))))

;;; Platforms, as (guix platforms …) names them.

(struct %platform (system))
(define x86_64-linux (%platform "x86_64-linux"))
(define i686-linux (%platform "i686-linux"))
(define aarch64-linux (%platform "aarch64-linux"))
(define armv7-linux (%platform "armhf-linux"))
(define riscv64-linux (%platform "riscv64-linux"))
(define powerpc64le-linux (%platform "powerpc64le-linux"))
(define i586-gnu (%platform "i586-gnu"))
;; (gnu platforms hurd) of Guix 1.3 called i586-gnu `hurd`.
(define hurd i586-gnu)
(define x86_64-gnu (%platform "x86_64-gnu"))

;;; The standard definitions of (gnu system image).

(define root-offset (* 512 2048))
(define root-label "Guix_image")

(define-syntax image-without-os
  (syntax-rules ()
    ((_ . fields) (image (operating-system #false) . fields))))

(define esp-partition
  (partition
   (size (* 40 (expt 2 20)))
   (offset root-offset)
   (label "GNU-ESP")
   (file-system "vfat")
   (flags '(esp))
   (initializer (gexp initialize-efi-partition))))
(define esp-partition/grub esp-partition)

(define esp32-partition
  (partition
   (inherit esp-partition)
   (initializer (gexp initialize-efi32-partition))))

(define root-partition
  (partition
   (size 'guess)
   (label root-label)
   (file-system "ext4")
   (file-system-options (list "-O" "^metadata_csum,^64bit"))
   (flags '(boot))
   (initializer (gexp initialize-root-partition))))

(define mbr-disk-image
  (image-without-os
   (format 'disk-image)
   (partition-table-type 'mbr)
   (partitions (list (partition (inherit root-partition) (offset root-offset))))))

(define mbr-hybrid-disk-image
  (image-without-os
   (format 'disk-image)
   (partition-table-type 'mbr)
   (partitions (list esp-partition root-partition))))

(define efi-disk-image
  (image-without-os
   (format 'disk-image)
   (partition-table-type 'gpt)
   (partitions (list esp-partition root-partition))))

(define efi32-disk-image
  (image-without-os
   (format 'disk-image)
   (partition-table-type 'gpt)
   (partitions (list esp32-partition root-partition))))

;; Guix 1.3's disk images of 32-bit and 64-bit ARM boards: the root partition at OFFSET, for
;; the board's U-Boot before it; named by the GNU triplet of their platform.
(define* (arm32-disk-image #:optional (offset root-offset))
  (image-without-os
   (format 'disk-image)
   (target "arm-linux-gnueabihf")
   (volatile-root? #f)
   (partitions (list (partition (inherit root-partition) (offset offset))))))

(define* (arm64-disk-image #:optional (offset root-offset))
  (image (inherit (arm32-disk-image offset)) (target "aarch64-linux-gnu")))

(define iso9660-image
  (image-without-os
   (format 'iso9660)
   (partitions (list (partition (size 'guess) (label "GUIX_IMAGE") (flags '(boot)))))))

(define docker-image (image-without-os (format 'docker)))
(define tarball-image (image-without-os (format 'tarball)))
(define wsl2-image (image-without-os (format 'wsl2)))

;; Guix: (define* (raw-with-offset-disk-image #:optional (offset root-offset)) …)
(define (raw-with-offset-disk-image . args)
  (when (> (length args) 1)
    (error "raw-with-offset-disk-image: expected at most one argument (an offset), got"
           (length args)))
  (let ((offset (if (null? args) root-offset (car args))))
    (image-without-os
     (format 'disk-image)
     (partitions (list (partition (inherit root-partition) (offset offset))))
     (volatile-root? #f))))

(define (image-with-os base os)
  (image (inherit base) (operating-system os)))

(define (image-with-label base label)
  (let ((partitions (image-partitions base)))
    (if (null? partitions)
        (error "image-with-label: the image has no partition to relabel")
        (image (inherit base)
               (partitions (cons (partition (inherit (car partitions)) (label label))
                                 (cdr partitions)))))))

;;; Image types.

(define mbr-raw-image-type
  (image-type (name 'mbr-raw) (constructor (cut image-with-os mbr-disk-image <>))))
(define mbr-hybrid-raw-image-type
  (image-type (name 'mbr-hybrid-raw) (constructor (cut image-with-os mbr-hybrid-disk-image <>))))
(define efi-raw-image-type
  (image-type (name 'efi-raw) (constructor (cut image-with-os efi-disk-image <>))))
(define efi32-raw-image-type
  (image-type (name 'efi32-raw) (constructor (cut image-with-os efi32-disk-image <>))))
(define qcow2-image-type
  (image-type
   (name 'qcow2)
   (constructor (cut image-with-os
                     (image (inherit mbr-hybrid-disk-image)
                            (name 'image.qcow2)
                            (format 'compressed-qcow2))
                     <>))))
(define qcow2-gpt-image-type
  (image-type
   (name 'qcow2-gpt)
   (constructor (cut image-with-os
                     (image (inherit efi-disk-image)
                            (name 'image.qcow2)
                            (format 'compressed-qcow2))
                     <>))))
(define iso-image-type
  (image-type (name 'iso9660) (constructor (cut image-with-os iso9660-image <>))))
(define uncompressed-iso-image-type
  (image-type
   (name 'uncompressed-iso9660)
   (constructor (cut image-with-os (image (inherit iso9660-image) (compression? #f)) <>))))
(define docker-image-type
  (image-type (name 'docker) (constructor (cut image-with-os docker-image <>))))
(define tarball-image-type
  (image-type (name 'tarball) (constructor (cut image-with-os tarball-image <>))))
(define wsl2-image-type
  (image-type (name 'wsl2) (constructor (cut image-with-os wsl2-image <>))))
(define raw-with-offset-image-type
  (image-type
   (name 'raw-with-offset)
   (constructor (cut image-with-os (raw-with-offset-disk-image) <>))))

;; `(os->image os #:type type)`; Guix's keyword argument arrives as the symbol #:type.
(define (os->image os . args)
  (%check-keywords "os->image" args '(#:type))
  (let ((type (%keyword-arg args '#:type #f)))
    (unless (image-type? type)
      (error "os->image: #:type must be an image type, e.g. efi-raw-image-type; got"
             (%write-string type)))
    ((image-type-constructor type) os)))

;; Guix: (os+platform->image os platform #:type type)
(define (os+platform->image os platform . args)
  (let ((img (apply os->image os args)))
    (image (inherit img) (platform platform))))
