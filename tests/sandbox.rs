//! A definition is untrusted: what it tries on the host fails with a located error, and the
//! host is left as it was (issue 9's table, row by row).

use std::path::Path;
use std::process::{Command, Output};

/// `ingot show FILE` with a quiet, private Steel home.
fn show(file: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ingot"))
        .arg("show")
        .arg(file)
        .args(extra)
        .env(
            "STEEL_HOME",
            std::env::temp_dir().join("ingot-test-steel-home"),
        )
        .output()
        .expect("running ingot")
}

/// Writes `text` as a definition in `dir` and shows it; expects exit status 1 and an error
/// located in that file. Returns (stdout, stderr).
fn refused(dir: &Path, text: &str, expect: &str) -> (String, String) {
    refused_with(dir, text, expect, &[])
}

fn refused_with(dir: &Path, text: &str, expect: &str, extra: &[&str]) -> (String, String) {
    let file = dir.join("untrusted.scm");
    std::fs::write(&file, text).unwrap();
    let out = show(&file, extra);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{text}\nstdout: {stdout}\nstderr: {stderr}"
    );
    let located = format!("{}:", file.display());
    assert!(
        stderr.contains(&located) && stderr.contains(expect),
        "{text}: expected a located error with {expect:?}, got:\n{stderr}"
    );
    let first = stderr.lines().next().unwrap_or_default();
    let after = first.split(&located).nth(1).unwrap_or_default();
    let mut parts = after.splitn(3, ':');
    let line = parts.next().and_then(|l| l.parse::<u32>().ok());
    let column = parts.next().and_then(|c| c.parse::<u32>().ok());
    assert!(
        line.is_some() && column.is_some(),
        "{text}: no line:column in {first}"
    );
    (stdout, stderr)
}

#[test]
fn spawning_a_program_runs_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("spawned");
    let text = format!(
        "(spawn-process (command \"sh\" (list \"-c\" \"touch {}\")))\n",
        marker.display()
    );
    refused(
        dir.path(),
        &text,
        "is not available: definitions cannot run programs",
    );
    assert!(!marker.exists(), "the command ran");

    // Through the module object, a renamed require, a macro run at expansion time, eval.
    for text in [
        format!(
            "((%module-get% %-builtin-module-steel/process 'spawn-process) (command \"sh\" (list \"-c\" \"touch {}\")))",
            marker.display()
        ),
        format!(
            "(require-builtin steel/process as p.)\n(p.spawn-process (p.command \"sh\" (list \"-c\" \"touch {}\")))",
            marker.display()
        ),
        format!(
            "(defmacro (evil stx) (begin (spawn-process (command \"sh\" (list \"-c\" \"touch {}\"))) 1))\n(evil)",
            marker.display()
        ),
        "(eval! '(+ 1 2))".to_string(),
        "((Engine::new))".to_string(),
    ] {
        refused(dir.path(), &text, "is not available");
        assert!(!marker.exists(), "the command ran: {text}");
    }
}

#[test]
fn host_files_are_neither_changed_nor_created() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim");
    std::fs::create_dir(&victim).unwrap();
    std::fs::write(victim.join("keep"), "data").unwrap();
    let renamed = dir.path().join("renamed");
    let created = dir.path().join("created");
    let cases = [
        format!("(delete-directory! \"{}\")", victim.display()),
        format!("(delete-file! \"{}\")", victim.join("keep").display()),
        format!(
            "(rename-file-or-directory! \"{}\" \"{}\")",
            victim.display(),
            renamed.display()
        ),
        format!("(open-output-file \"{}\")", created.display()),
        format!("(create-directory! \"{}\")", created.display()),
        format!("(change-current-directory! \"{}\")", victim.display()),
    ];
    for text in &cases {
        refused(
            dir.path(),
            text,
            "is not available: definitions cannot read or write host files",
        );
        assert!(victim.join("keep").is_file(), "{text} removed the victim");
        assert!(
            !renamed.exists() && !created.exists(),
            "{text} wrote the host"
        );
    }
}

#[test]
fn host_files_are_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret");
    std::fs::write(&secret, "the-secret-line\n").unwrap();
    for path in [secret.display().to_string(), "/etc/shadow".to_string()] {
        let text =
            format!("(define p (open-input-file \"{path}\"))\n(error (read-line-from-port p))\n");
        let (stdout, stderr) = refused(dir.path(), &text, "open-input-file is not available");
        assert!(!stdout.contains("the-secret") && !stderr.contains("the-secret"));
        if let Ok(shadow) = std::fs::read_to_string("/etc/shadow") {
            let first = shadow.lines().next().unwrap_or("root:");
            assert!(!stdout.contains(first) && !stderr.contains(first));
        }
    }
    // `require` would read the file as Scheme and could echo its text in the error.
    refused(
        dir.path(),
        &format!("(require \"{}\")", secret.display()),
        "require is not available",
    );
    refused(
        dir.path(),
        &format!("(read-to-string \"{}\")", secret.display()),
        "read-to-string is not available",
    );
}

#[test]
fn no_sockets_no_environment_no_clock() {
    let dir = tempfile::tempdir().unwrap();
    refused(
        dir.path(),
        "(tcp-connect \"127.0.0.1:22\")",
        "tcp-connect is not available: definitions cannot open sockets",
    );
    refused(
        dir.path(),
        "(env-var \"HOME\")",
        "env-var is not available: definitions cannot read or change the environment",
    );
    refused(
        dir.path(),
        "(current-milliseconds)",
        "current-milliseconds is not available",
    );
}

#[test]
fn the_pure_language_still_works() {
    let dir = tempfile::tempdir().unwrap();
    // Strings, lists, hash tables, string ports and control: the error is the last value's
    // kind, so every procedure before it ran.
    refused(
        dir.path(),
        "(define h (hash 'a 1))\n(define p (open-input-string \"x y\"))\n(list (hash-ref h 'a) (string-append \"a\" \"b\") (map (lambda (x) (* x 2)) '(1 2)) (read-line-from-port p))",
        "must end with an image or an operating-system",
    );
}

#[test]
fn an_endless_loop_stops_at_the_time_limit() {
    let dir = tempfile::tempdir().unwrap();
    let start = std::time::Instant::now();
    refused_with(
        dir.path(),
        "(define x 1)\n(let loop () (loop))\n",
        "evaluation stopped after 2 s — an endless loop?",
        &["--eval-timeout", "2"],
    );
    assert!(start.elapsed() < std::time::Duration::from_secs(20));
}

#[test]
fn runaway_allocation_stops_at_the_memory_limit() {
    let dir = tempfile::tempdir().unwrap();
    refused_with(
        dir.path(),
        "(define (grow l) (grow (cons l l)))\n(grow (list))\n",
        "evaluation stopped: it used more than 256 MiB of memory",
        &["--eval-memory", "256MiB"],
    );
}

#[test]
fn deep_nesting_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    refused(
        dir.path(),
        &"(".repeat(6000),
        "nest more than 1000 levels deep",
    );
    refused(
        dir.path(),
        &format!("{}x", "'".repeat(10_000)),
        "nest more than 1000 levels deep",
    );
}

#[test]
fn deep_recursion_is_located_and_prints_no_bytecode() {
    let dir = tempfile::tempdir().unwrap();
    let (stdout, stderr) = refused(
        dir.path(),
        "(define (r n) (+ 1 (r n)))\n(r 0)\n",
        "the recursion is too deep",
    );
    assert_eq!(stdout, "", "Steel's debugging output reached stdout");
    assert_eq!(stderr.lines().count(), 2, "{stderr}");
}

#[test]
fn huge_allocation_requests_are_refused_before_allocating() {
    let dir = tempfile::tempdir().unwrap();
    for (text, expect) in [
        ("(make-string -1 #\\x)", "make-string: the length must not be negative"),
        ("(make-vector 100000000000 0)", "make-vector: 100000000000 items would need"),
        ("(expt 2 18446744073709551615)", "expt: the result would need"),
        ("(arithmetic-shift 1 100000000000)", "arithmetic-shift: the result would need"),
        ("(range 100000000000)", "range: 100000000000 items would need"),
        (
            "(define (double s n) (if (= n 0) s (double (string-append s s) (- n 1))))\n(double \"ab\" 40)",
            "string-append: the result would need",
        ),
    ] {
        refused_with(dir.path(), text, expect, &["--eval-memory", "64MiB"]);
    }
}

/// What a definition prints survives the evaluation's redirection of fds 1 and 2, and goes to
/// stderr, before the error it then makes: stdout holds only what ingot itself prints.
#[test]
fn what_a_definition_prints_reaches_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("prints.scm");
    std::fs::write(&file, "(display \"hello\")\n(newline)\n(car '())").unwrap();
    let out = show(&file, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
    let error = format!("hello\nerror: {}:3:1:", file.display());
    assert!(stderr.starts_with(&error), "{stderr}");
}

/// A GPT whose header and entry hold LBAs near 2^64: `inspect` skips what it cannot address
/// instead of overflowing.
#[test]
fn inspect_survives_a_crafted_gpt() {
    let dir = tempfile::tempdir().unwrap();
    for (entries_lba, last) in [(2u64, u64::MAX), (2, u64::MAX / 512), (u64::MAX / 256, 40)] {
        let mut disk = vec![0u8; 1 << 20];
        disk[510] = 0x55;
        disk[511] = 0xAA;
        disk[512..520].copy_from_slice(b"EFI PART");
        disk[512 + 72..512 + 80].copy_from_slice(&entries_lba.to_le_bytes());
        disk[512 + 80..512 + 84].copy_from_slice(&1u32.to_le_bytes());
        disk[512 + 84..512 + 88].copy_from_slice(&128u32.to_le_bytes());
        let entry = 1024;
        disk[entry] = 0xAF; // a non-zero type GUID
        disk[entry + 32..entry + 40].copy_from_slice(&34u64.to_le_bytes());
        disk[entry + 40..entry + 48].copy_from_slice(&last.to_le_bytes());
        let image = dir.path().join("crafted.img");
        std::fs::write(&image, &disk).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_ingot"))
            .args(["inspect", "--json"])
            .arg(&image)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        // Either an empty table or "not a disk image" (a table it cannot read at all) — never
        // a panic (exit 101) or a signal.
        if out.status.success() {
            let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(found["partitions"], serde_json::json!([]), "{found}");
        } else {
            assert_eq!(out.status.code(), Some(1), "{stderr}");
            assert!(
                stderr.starts_with("error: ") && stderr.contains("not a disk image"),
                "{stderr}"
            );
        }
    }
}

/// Steel cannot be interrupted while it expands macros: ingot stops it from outside.
#[test]
fn a_macro_that_expands_forever_is_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let start = std::time::Instant::now();
    refused_with(
        dir.path(),
        "(define-syntax m (syntax-rules () ((_ x) (m (x x)))))\n(m 1)\n",
        "evaluation stopped after 2 s while expanding or compiling this form",
        &["--eval-timeout", "2"],
    );
    assert!(start.elapsed() < std::time::Duration::from_secs(30));
}
