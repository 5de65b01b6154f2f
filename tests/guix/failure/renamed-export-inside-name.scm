;; error: renamed-export-inside-name.scm:4:41: `base-inside` is not exported by (ns base)
;; A name exported under another name (`#:export ((base-inside . base-outside))`) is not
;; visible by its inside name.
(use-modules (gnu) ((ns base) #:select (base-inside)))

base-inside
