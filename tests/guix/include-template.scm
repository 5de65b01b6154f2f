;; `include` of a Guix system template (a .tmpl file), whose definitions the includer then
;; inherits from.
(include "files/base-system.tmpl")

(operating-system
  (inherit %template-os)
  (host-name "from-template"))
