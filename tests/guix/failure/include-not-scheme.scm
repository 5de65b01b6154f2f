;; error: include-not-scheme.scm:2:7: ../../../Cargo.toml: only Scheme sources (.scm, .tmpl) may be included or loaded
(load "../../../Cargo.toml")
