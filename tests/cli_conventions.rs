//! The conventions of a Rust CLI: shell completions loaded by bash, a man page man renders,
//! -q/-v, --color, build --json, documented exit codes.

mod common;

use std::path::Path;
use std::process::Command;

use common::disk::run;
use common::ingot::{fixture, ingot, ingot_ok};

#[test]
fn bash_loads_the_completions_and_completes_subcommands() {
    let script = ingot_ok(&["completions", "bash"]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ingot.bash");
    std::fs::write(&file, script).unwrap();
    let out = run(Command::new("bash").arg("-c").arg(format!(
        "set -e; source '{}'; complete -p ingot; COMP_WORDS=(ingot bu); COMP_CWORD=1; \
         COMP_LINE='ingot bu'; COMP_POINT=8; _ingot ingot bu ingot; echo \"reply: ${{COMPREPLY[*]}}\"",
        file.display()
    )));
    assert!(out.contains("-F _ingot ingot"), "{out}");
    assert!(out.contains("reply: build"), "{out}");
    for shell in ["zsh", "fish"] {
        let script = ingot_ok(&["completions", shell]);
        assert!(script.contains("list-image-types"), "{shell}: {script}");
    }
}

#[test]
fn the_man_page_renders() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("ingot.1");
    std::fs::write(&page, ingot_ok(&["man"])).unwrap();
    let out = Command::new("man")
        .arg("-l")
        .arg(&page)
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "100")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for word in [
        "NAME",
        "SYNOPSIS",
        "build",
        "list-image-types",
        "Exit status",
    ] {
        assert!(text.contains(word), "{word} missing:\n{text}");
    }
}

fn tiny_root(dir: &std::path::Path) -> String {
    let root = dir.join("root");
    std::fs::create_dir_all(root.join("boot")).unwrap();
    std::fs::write(root.join("boot/vmlinuz"), b"kernel").unwrap();
    root.display().to_string()
}

#[test]
fn quiet_verbose_color_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let root = tiny_root(dir.path());
    let out_path = dir.path().join("t.tar.gz");
    let args = |extra: &[&str]| {
        let mut a: Vec<String> = vec![
            "build".into(),
            fixture("os-efi.scm"),
            "-t".into(),
            "tarball".into(),
            "--label".into(),
            "unused".into(),
            "--root-tree".into(),
            root.clone(),
            "-o".into(),
            out_path.display().to_string(),
        ];
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    // Normal: the warning and the summary with the build time.
    let out = ingot().args(args(&[])).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("warning: --label unused was not used"),
        "{err}"
    );
    assert!(err.contains("built in"), "{err}");
    // -q: nothing but the path on stdout.
    let out = ingot().args(args(&["-q"])).output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    // -v: each stage.
    let out = ingot().args(args(&["-v"])).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ingot: evaluating the definition"), "{err}");
    // --color always colours the prefixes; never (and a pipe, for auto) does not.
    let out = ingot().args(args(&["--color", "always"])).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("\x1b[1;33mwarning:\x1b[0m"));
    let out = ingot()
        .args(["--color", "always", "inspect", "/nonexistent"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("\x1b[1;31merror:\x1b[0m"));
    assert!(
        !String::from_utf8_lossy(&ingot().args(args(&[])).output().unwrap().stderr)
            .contains('\x1b')
    );
    // --json: path, size, allocated, sha256 (checked by sha256sum), time.
    let out = ingot().args(args(&["--json"])).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["path"], out_path.display().to_string());
    assert_eq!(v["format"], "tarball");
    assert_eq!(v["size"], std::fs::metadata(&out_path).unwrap().len());
    assert!(v["allocated"].as_u64().is_some() && v["seconds"].as_f64().is_some());
    let sum = run(Command::new("sha256sum").arg(&out_path));
    assert_eq!(
        v["sha256"].as_str().unwrap(),
        sum.split_whitespace().next().unwrap()
    );
}

#[test]
fn exit_codes_are_the_documented_ones() {
    let help = ingot_ok(&["--help"]);
    assert!(
        help.contains("Exit status: 0 success; 1 an error"),
        "{help}"
    );
    let code = |args: &[&str]| ingot().args(args).output().unwrap().status.code();
    assert_eq!(code(&["inspect", "/nonexistent"]), Some(1));
    assert_eq!(code(&["no-such-command"]), Some(2));
    assert_eq!(code(&["list-image-types"]), Some(0));
}

/// What `ingot build` shows on stderr when it is a terminal: run in a pseudo-terminal, the
/// whole session read back without colours and escape codes.
fn build_on_a_terminal(extra: &[&str]) -> (String, std::path::PathBuf, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let root = tiny_root(dir.path());
    // The total the bar shows.
    let data: Vec<u8> = (0..8u32 << 20)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    std::fs::write(Path::new(&root).join("data.bin"), data).unwrap();
    let out_path = dir.path().join("t.tar.gz");
    let mut cmd = ingot();
    cmd.args(["build", &fixture("os-efi.scm"), "-t", "tarball"])
        .args(["--label", "unused", "--root-tree", &root, "-o"])
        .arg(&out_path)
        .args(extra)
        .env("TERM", "xterm")
        .env("NO_COLOR", "1");
    let options = rexpect::reader::Options::new()
        .timeout_ms(Some(120_000))
        .strip_ansi_escape_codes(true);
    let mut s = rexpect::session::spawn_with_options(cmd, options).unwrap();
    let seen = s.exp_eof().unwrap();
    (seen, out_path, dir)
}

#[test]
fn a_terminal_shows_a_byte_bar_with_the_warning_above_it() {
    let (seen, out_path, _dir) = build_on_a_terminal(&[]);
    // Every redraw starts with a carriage return: split there to get what was on screen.
    let screens: Vec<&str> = seen.split(['\r', '\n']).map(str::trim_end).collect();
    let total = "B/8.00 MiB";
    let bar = screens
        .iter()
        .find(|l| l.contains(total) && l.contains('%') && l.contains("ETA"))
        .unwrap_or_else(|| panic!("no byte bar in {seen:?}"));
    assert!(bar.contains("writing the tarball"), "{bar}");
    // The warning is a line of its own, whole, before the bar counted anything.
    let warning =
        "warning: --label unused was not used: a tarball has no partition or volume label";
    assert!(screens.contains(&warning), "{seen:?}");
    assert!(
        !screens
            .iter()
            .any(|l| l.contains("warning:") && (l.contains('%') || l.len() != warning.len())),
        "{seen:?}"
    );
    // The bar is cleared before the summary, which keeps its build time.
    assert!(seen.contains("built in"), "{seen:?}");
    let summary = screens.iter().find(|l| l.contains("built in")).unwrap();
    assert!(
        summary.starts_with(&out_path.display().to_string()),
        "{summary}"
    );
    // -q on a terminal: no bar, no warning, the path alone.
    let (seen, out_path, _dir) = build_on_a_terminal(&["-q"]);
    assert_eq!(seen.trim(), out_path.display().to_string(), "{seen:?}");
}
