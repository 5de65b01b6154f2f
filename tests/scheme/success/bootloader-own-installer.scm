;; A bootloader ingot cannot install is kept by its name: fine for an image that does not
;; boot (a tarball), refused by show and build for one that does (see tests/bootloader_checks.rs).
(image
  (inherit tarball-image)
  (operating-system
    (operating-system
      (host-name "tar")
      (bootloader (bootloader-configuration
                    (bootloader (bootloader (name 'dummy-bootloader)
                                            (installer '(const #t))))))
      (file-systems '()))))
