;;; ingot prelude: the board image types of Guix's gnu/system/images/*.scm.
;;;
;;; U-Boot boards are raw-with-offset MBR images: the bootloader blobs go in the gap before the
;;; root partition (written by ingot's board support from the OS's firmware directory). The
;;; RISC-V boards use GPT with unformatted "spl" and "uboot" partitions whose uuid is their GPT
;;; partition type GUID, as in Guix. Which boards there are, and their offsets, come from
;;; ingot's board table (see `(%ingot-table boards)` below).

(define (%board-image-type type-name image-name offset platform)
  (image-type
   (name type-name)
   (constructor (lambda (os)
                  (image
                   (inherit (raw-with-offset-disk-image offset))
                   (name image-name)
                   (operating-system os)
                   (platform platform))))))

;; A GPT board's disk: its unformatted partitions, each (LABEL OFFSET SIZE TYPE-GUID), before
;; the root partition.
(define (%board-gpt-disk-image image-name image-platform parts)
  (image-without-os
   (name image-name)
   (format 'disk-image)
   (platform image-platform)
   (partition-table-type 'gpt)
   (partitions (append (map (lambda (p)
                              (partition
                               (size (list-ref p 2))
                               (label (list-ref p 0))
                               (offset (list-ref p 1))
                               (file-system "unformatted")
                               (uuid (uuid (list-ref p 3)))))
                            parts)
                       (list root-partition)))))

;; The boards' image types, generated from ingot's board table (src/boot/board.rs): each
;; MBR board's `NAME-image-type` as a %board-image-type, each GPT board's `NAME-disk-image` as a
;; %board-gpt-disk-image, and %%board-image-types listing them.

(%ingot-table boards)

;; GNU/Hurd: one ext2 root partition. Guix's initializer adds Hurd device nodes on top of
;; initialize-root-partition; in ingot the root tree brings its own.
(define hurd-disk-image
  (image-without-os
   (format 'disk-image)
   (platform i586-gnu)
   (partitions
    (list (partition
           (size 'guess)
           (offset root-offset)
           (label root-label)
           (file-system "ext2")
           (file-system-options '("-o" "hurd" "-O" "ext_attr"))
           (flags '(boot))
           (initializer (gexp initialize-root-partition)))))))

(define hurd-image-type
  (image-type (name 'hurd-raw) (constructor (cut image-with-os hurd-disk-image <>))))
(define hurd-qcow2-image-type
  (image-type
   (name 'hurd-qcow2)
   (constructor (lambda (os)
                  (image (inherit hurd-disk-image)
                         (format 'compressed-qcow2)
                         (operating-system os))))))

;;; Every image type, in the order `list-image-types` shows them.

(define %image-types
 (append
  (list mbr-raw-image-type
        mbr-hybrid-raw-image-type
        efi-raw-image-type
        efi32-raw-image-type
        qcow2-image-type
        qcow2-gpt-image-type
        iso-image-type
        uncompressed-iso-image-type
        docker-image-type
        tarball-image-type
        wsl2-image-type
        raw-with-offset-image-type)
  %%board-image-types
  (list hurd-image-type
        hurd-qcow2-image-type)))

(define (lookup-image-type-by-name name)
  (or (%find (lambda (t) (equal? (image-type-name t) name)) %image-types)
      (%fail (string-append (if (symbol? name) (symbol->string name) (%write-string name))
                            ": no such image type"))))

;; The REPL's `(show img)` / `(show os 'efi-raw)`: a request the REPL answers by printing the
;; plan of the image. Outside the REPL it is an inert value.
(struct %show (value image-type))
(define (show value . type)
  (let ((t (if (null? type) 'mbr-hybrid-raw (car type))))
    (unless (symbol? t)
      (error "show: the image type must be a symbol such as 'efi-raw, got" (%write-string t)))
    (%show value t)))

;; The REPL's `(build img "out.img" [#:type 'efi-raw])`: a request the REPL answers by writing
;; the image as `ingot build` does (an operating-system goes through the type, default
;; mbr-hybrid-raw). Outside the REPL it is an inert value.
(struct %build (value path image-type))
(define (build value path . options)
  (unless (string? path)
    (error "build: the output must be a file name such as \"out.img\", got" (%write-string path)))
  (let ((t (cond ((null? options) 'mbr-hybrid-raw)
                 ((and (= (length options) 2) (equal? (car options) '#:type)) (cadr options))
                 ((= (length options) 1) (car options))
                 (else (error "build: expected (build IMAGE \"FILE\" [#:type 'TYPE])")))))
    (unless (symbol? t)
      (error "build: the image type must be a symbol such as 'efi-raw, got" (%write-string t)))
    (%build value path t)))
