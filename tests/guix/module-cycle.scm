;; Two modules that import each other, as Guix channels' modules often do: Guile gives the
;; second one the first while it is still loading, and a name used inside a procedure is
;; found once it is defined.
(use-modules (gnu) (cyc left))

cycle-os
