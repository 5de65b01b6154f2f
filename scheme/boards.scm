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
;; The boards' example systems, from Guix's (gnu system images NAME): NAME-barebones-os with
;; the fields ingot reads as Guix sets them (the bootloader and its target, the kernel, its
;; arguments, the initrd modules, the root file system's label), and
;; NAME-barebones-raw-image, that system as the board's image (the value of Guix's module).
;; Their services are placeholders, as every Guix service list; the kernel is a package (#f:
;; no kernel field, Guix's default).
(define (%barebones-os host timezone* locale* loader target kernel-name arguments modules
                       root-label services*)
  (operating-system
    (host-name host)
    (timezone timezone*)
    (locale locale*)
    (bootloader (bootloader-configuration (bootloader loader) (targets (list target))))
    (initrd-modules modules)
    (kernel (and kernel-name (%inert 'package kernel-name '())))
    (kernel-arguments arguments)
    (file-systems (cons (file-system
                          (device (file-system-label root-label))
                          (mount-point "/")
                          (type "ext4"))
                        %base-file-systems))
    (services services*)))

(define (%barebones-raw-image os platform type name)
  (image (inherit (os+platform->image os platform #:type type)) (name name)))

;; The serial console's getty most of them add, and the DHCP client some add.
(define %%barebones-serial-services (append (%service-list '(agetty)) %base-services))
(define %%barebones-dhcp-services (append (%service-list '(dhcpcd)) %base-services))
(define %%barebones-serial-dhcp-services
  (append (%service-list '(agetty dhcpcd)) %base-services))

(define a20-olinuxino-lime2-barebones-os
  (%barebones-os "olimex" "Europe/Paris" "en_GB.utf8" u-boot-a20-olinuxino-lime2-bootloader
                 "/dev/mmcblk0" "linux-libre-arm-generic" '("console=tty1") '() "root"
                 %base-services))
(define am335x-evm-barebones-os
  (%barebones-os "guadalajara" "Europe/Madrid" "en_US.utf8" u-boot-am335x-evm-bootloader
                 "/dev/sda" "linux-libre-arm-generic" %default-kernel-arguments '() "my-root"
                 %%barebones-serial-services))
(define novena-barebones-os
  (%barebones-os "vignemale" "Europe/Paris" "en_US.utf8" u-boot-novena-bootloader "/dev/vda"
                 "linux-libre-arm-generic" '("console=ttymxc1,115200") '() "my-root"
                 %base-services))
(define orangepi-r1-plus-lts-rk3328-barebones-os
  (%barebones-os "windmolen" "Europe/Amsterdam" "en_US.utf8"
                 u-boot-orangepi-r1-plus-lts-rk3328-bootloader "/dev/mmcblk0"
                 "linux-libre-arm64-generic" %default-kernel-arguments '() "my-root"
                 (append (%service-list '(agetty ntp)) %base-services)))
(define pine64-barebones-os
  (%barebones-os "vignemale" "Europe/Paris" "en_US.utf8" u-boot-pine64-lts-bootloader
                 "/dev/vda" "linux-libre-arm64-generic" %default-kernel-arguments '()
                 "my-root" %%barebones-serial-services))
(define pinebook-pro-barebones-os
  (%barebones-os "viso" "Europe/Paris" "en_US.utf8" u-boot-pinebook-pro-rk3399-bootloader
                 "/dev/vda" "linux-libre-arm64-generic" %default-kernel-arguments '()
                 "my-root" %%barebones-serial-services))
(define rock-4c-plus-barebones-os
  (%barebones-os "huesca" "Europe/Madrid" "en_US.utf8" u-boot-rock-4c-plus-rk3399-bootloader
                 "/dev/sda" "linux-libre-arm64-generic" %default-kernel-arguments '()
                 "my-root" %%barebones-serial-services))
(define rock64-barebones-os
  (%barebones-os "jiehkkevarri" "Europe/Oslo" "en_US.utf8" u-boot-rock64-rk3328-bootloader
                 "/dev/sda" "linux-libre-arm64-generic" %default-kernel-arguments '()
                 "my-root" %%barebones-dhcp-services))
(define unmatched-barebones-os
  (%barebones-os "unmatched" "Asia/Jerusalem" "en_US.utf8" u-boot-sifive-unmatched-bootloader
                 "/dev/vda" "linux-libre-riscv64-generic" %default-kernel-arguments '()
                 "my-root" %%barebones-serial-dhcp-services))
;; Guix gives it no kernel field (the default linux-libre), its own initrd modules, no
;; firmware, and the image's own root label.
(define visionfive2-barebones-os
  (operating-system
    (inherit (%barebones-os "visionfive2" "Etc/UTC" "en_US.utf8"
                            u-boot-starfive-visionfive2-bootloader "/dev/mmcblk0" #f
                            (list "earlycon" "clk_ignore_unused")
                            (append (list "mmc_block" "clk-starfive-jh7110-aon"
                                          "clk-starfive-jh7110-stg" "phy-jh7110-dphy-tx"
                                          "pcie_starfive" "nvme")
                                    %base-initrd-modules)
                            "Guix_image"
                            (append (%service-list '(openssh agetty dhcpcd)) %base-services)))
    (firmware '())))

(define a20-olinuxino-lime2-barebones-raw-image
  (%barebones-raw-image a20-olinuxino-lime2-barebones-os armv7-linux
                        a20-olinuxino-lime2-image-type 'a20-olinuxino-lime2-barebones-raw-image))
(define am335x-evm-barebones-raw-image
  (%barebones-raw-image am335x-evm-barebones-os armv7-linux am335x-evm-image-type
                        'am335x-evm-barebones-raw-image))
(define novena-barebones-raw-image
  (%barebones-raw-image novena-barebones-os armv7-linux novena-image-type
                        'novena-barebones-raw-image))
(define orangepi-r1-plus-lts-rk3328-barebones-raw-image
  (%barebones-raw-image orangepi-r1-plus-lts-rk3328-barebones-os aarch64-linux
                        orangepi-r1-plus-lts-rk3328-image-type
                        'orangepi-r1-plus-lts-rk3328-barebones-raw-image))
(define pine64-barebones-raw-image
  (%barebones-raw-image pine64-barebones-os aarch64-linux pine64-image-type
                        'pine64-barebones-raw-image))
(define pinebook-pro-barebones-raw-image
  (%barebones-raw-image pinebook-pro-barebones-os aarch64-linux pinebook-pro-image-type
                        'pinebook-pro-barebones-raw-image))
(define rock-4c-plus-barebones-raw-image
  (%barebones-raw-image rock-4c-plus-barebones-os aarch64-linux rock-4c-plus-image-type
                        'rock-4c-plus-barebones-raw-image))
(define rock64-barebones-raw-image
  (%barebones-raw-image rock64-barebones-os aarch64-linux rock64-image-type
                        'rock64-barebones-raw-image))
(define unmatched-barebones-raw-image
  (%barebones-raw-image unmatched-barebones-os riscv64-linux unmatched-image-type
                        'unmatched-barebones-raw-image))
(define visionfive2-barebones-raw-image
  (%barebones-raw-image visionfive2-barebones-os riscv64-linux visionfive2-image-type
                        'visionfive2-barebones-raw-image))

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
