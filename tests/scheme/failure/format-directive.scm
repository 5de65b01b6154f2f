;; error: format-directive.scm:2:1: format: ~q is not a directive ingot supports (~a ~s ~d ~x ~o ~b ~c ~% ~~), in "~q"
(define x
  (format #f "~q" 1))
