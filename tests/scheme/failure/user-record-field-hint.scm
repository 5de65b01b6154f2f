;; error: hint: did you mean `label`? host fields: name disk label
(use-modules (records host))
(host (name "a") (lable "root"))
