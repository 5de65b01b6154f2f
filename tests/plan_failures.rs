//! The planner's refusals, from Scheme files: each tests/plan-failure/*.scm starts with
//! `;; error: TEXT`, and `ingot show` must fail with TEXT (which names file:line:column).

mod common;

use std::path::Path;

use common::corpus;
use common::ingot::ingot;

#[test]
fn every_plan_failure_file_fails_with_its_message() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/plan-failure");
    let files = corpus::files(&dir);
    assert!(files.len() >= 7, "corpus missing: {files:?}");
    let failures = corpus::failures(&files, |name, _| {
        let mut cmd = ingot();
        cmd.args(["show", name]);
        cmd
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
