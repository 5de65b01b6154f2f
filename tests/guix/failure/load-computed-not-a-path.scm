;; error: load-computed-not-a-path.scm:3:7: load/include: expected the file's path as a string, got 3
;; A computed `load` argument must give a path.
(load (+ 1 2))
