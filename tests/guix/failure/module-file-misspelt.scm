;; error: module-file-misspelt.scm:5:20: module (lib hots) not found in
;; error: failure/lib/hosts.scm is a few letters from the module's name: rename it hots.scm, or fix the name
;; A module whose file's name is a few letters from the name the file uses (LFour-CN's
;; hardware module sits in hardwware.scm): the error points at that file.
(use-modules (gnu) (lib hots))
(operating-system (host-name "x") (file-systems %base-file-systems))
