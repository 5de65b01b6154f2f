//! Failure corpora: folders of Scheme files, each starting with `;; error: TEXT` (and
//! optionally `;; args: ARGS` on the next line), that ingot must refuse with TEXT.

use std::path::Path;
use std::process::Command;

/// The .scm files of `dir`, sorted.
pub fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "scm"))
        .collect();
    files.sort();
    files
}

/// Runs `command(name, extra args)` for every file of `files` (from their folder) and returns
/// one line for each file ingot did not refuse with its `;; error:` text, or refused with a
/// panic.
pub fn failures(
    files: &[std::path::PathBuf],
    command: impl Fn(&str, &[&str]) -> Command,
) -> Vec<String> {
    let mut failures = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(file).unwrap();
        let mut lines = text.lines();
        let expected = lines
            .next()
            .and_then(|l| l.strip_prefix(";; error: "))
            .unwrap_or_else(|| panic!("{}: first line must be ';; error: …'", file.display()));
        let args: Vec<&str> = lines
            .next()
            .and_then(|l| l.strip_prefix(";; args: "))
            .map(|a| a.split_whitespace().collect())
            .unwrap_or_default();
        let name = file.file_name().unwrap().to_str().unwrap();
        let out = command(name, &args)
            .current_dir(file.parent().unwrap())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        if out.status.success() || !stderr.contains(expected) || stderr.contains("panicked") {
            failures.push(format!("{name}: expected {expected:?}\n  got: {stderr}"));
        }
    }
    failures
}
