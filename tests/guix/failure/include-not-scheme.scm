;; error: include-not-scheme.scm:2:7: ../../../Cargo.toml: only .scm files may be included or loaded
(load "../../../Cargo.toml")
