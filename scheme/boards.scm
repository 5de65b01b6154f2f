;;; ingot prelude: the board image types of Guix's gnu/system/images/*.scm.
;;;
;;; U-Boot boards are raw-with-offset MBR images: the bootloader blobs go in the gap before the
;;; root partition (written by ingot's board support from the OS's firmware directory). The
;;; RISC-V boards use GPT with unformatted "spl" and "uboot" partitions whose uuid is their GPT
;;; partition type GUID, as in Guix.

(define (%board-image-type type-name image-name offset platform)
  (image-type
   (name type-name)
   (constructor (lambda (os)
                  (image
                   (inherit (raw-with-offset-disk-image offset))
                   (name image-name)
                   (operating-system os)
                   (platform platform))))))

(define pine64-image-type
  (%board-image-type 'pine64-raw 'pine64-disk-image root-offset aarch64-linux))
(define rock64-image-type
  (%board-image-type 'rock64-raw 'rock64-disk-image (expt 2 24) aarch64-linux))
(define rock-4c-plus-image-type
  (%board-image-type 'rock-4c-plus-raw 'rock-4c-plus-disk-image (expt 2 24) aarch64-linux))
(define orangepi-r1-plus-lts-rk3328-image-type
  (%board-image-type 'orangepi-r1-plus-lts-rk3328-raw 'orangepi-r1-plus-lts-rk3328-disk-image
                     (expt 2 24) aarch64-linux))
(define pinebook-pro-image-type
  (%board-image-type 'pinebook-pro-raw #f (* 16 (expt 2 20)) aarch64-linux))
(define novena-image-type
  (%board-image-type 'novena-raw 'novena-disk-image root-offset armv7-linux))
(define a20-olinuxino-lime2-image-type
  (%board-image-type 'a20-olinuxino-lime2-raw #f (* 8192 512) armv7-linux))

(define (%riscv-boot-partitions spl-type uboot-type)
  (list (partition
         (size (* 1 (expt 2 20)))
         (label "spl")
         (offset (* 34 512))
         (file-system "unformatted")
         (uuid (uuid spl-type)))
        (partition
         (size (* 4 (expt 2 20)))
         (label "uboot")
         (offset (* 2082 512))
         (file-system "unformatted")
         (uuid (uuid uboot-type)))))

;; Type GUIDs from Guix's unmatched.scm (HiFive FSBL, HiFive BBL) and visionfive2.scm.
(define unmatched-disk-image
  (image-without-os
   (name 'unmatched-disk-image)
   (format 'disk-image)
   (partition-table-type 'gpt)
   (partitions (append (%riscv-boot-partitions "5b193300-fc78-40cd-8002-e86c45580b47"
                                               "2e54b353-1271-4842-806f-e436d6af6985")
                       (list root-partition)))))

(define visionfive2-disk-image
  (image-without-os
   (format 'disk-image)
   (partition-table-type 'gpt)
   (partitions (append (%riscv-boot-partitions "2E54B353-1271-4842-806F-E436D6AF6985"
                                               "BC13C2FF-59E6-4262-A352-B275FD6F7172")
                       (list root-partition)))))

(define unmatched-image-type
  (image-type (name 'unmatched-raw) (constructor (cut image-with-os unmatched-disk-image <>))))
(define visionfive2-image-type
  (image-type (name 'visionfive2-raw) (constructor (cut image-with-os visionfive2-disk-image <>))))

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
        raw-with-offset-image-type
        pine64-image-type
        rock64-image-type
        rock-4c-plus-image-type
        orangepi-r1-plus-lts-rk3328-image-type
        pinebook-pro-image-type
        novena-image-type
        a20-olinuxino-lime2-image-type
        unmatched-image-type
        visionfive2-image-type
        hurd-image-type
        hurd-qcow2-image-type))

(define (lookup-image-type-by-name name)
  (or (%find (lambda (t) (equal? (image-type-name t) name)) %image-types)
      (error (string-append (if (symbol? name) (symbol->string name) (%write-string name))
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
