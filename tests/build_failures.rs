//! Input errors found after planning, while building, from Scheme files: each
//! tests/build-failure/*.scm starts with `;; error: TEXT` naming file:line:column and the
//! record and field at fault, as evaluation errors do; `ingot build` must fail with TEXT and
//! leave nothing in the output directory.

mod common;

use std::path::Path;

use common::corpus;
use common::ingot::ingot;

#[test]
fn every_build_failure_file_fails_at_its_definition() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/build-failure");
    let files = corpus::files(&dir);
    assert!(files.len() >= 7, "corpus missing: {files:?}");
    let out = tempfile::tempdir().unwrap();
    let image = out.path().join("out.img");
    let failures = corpus::failures(&files, |name, args| {
        let mut cmd = ingot();
        cmd.arg("build").arg(name).args(args).arg("-o").arg(&image);
        cmd
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let left: Vec<_> = std::fs::read_dir(out.path()).unwrap().collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}
