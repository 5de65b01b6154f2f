//! The planner's refusals, from Scheme files: each tests/plan-failure/*.scm starts with
//! `;; error: TEXT`, and `ingot show` must fail with TEXT (which names file:line:column).

mod common;

use std::path::Path;

use common::ingot::ingot;

#[test]
fn every_plan_failure_file_fails_with_its_message() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/plan-failure");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "scm"))
        .collect();
    files.sort();
    assert!(files.len() >= 7, "corpus missing: {files:?}");
    let mut failures = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let expected = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix(";; error: "))
            .unwrap_or_else(|| panic!("{}: first line must be ';; error: …'", file.display()));
        let name = file.file_name().unwrap().to_str().unwrap();
        let out = ingot()
            .current_dir(&dir)
            .args(["show", name])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        if out.status.success() || !stderr.contains(expected) || stderr.contains("panicked") {
            failures.push(format!("{name}: expected {expected:?}\n  got: {stderr}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
