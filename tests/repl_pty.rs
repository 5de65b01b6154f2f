//! The REPL through a pseudo-terminal, as a person uses it: line editing, Tab completion,
//! commands, mistakes, and an image built from it that is the CLI's to the byte.

mod common;

use std::path::Path;
use std::process::Command;

use common::ingot::{e2fsck_clean, extract, fsck_vfat_clean, ingot, ingot_ok};
use rexpect::session::PtySession;

const PROMPT: &str = "ingot> ";

fn repl(args: &[&str], dir: &Path) -> PtySession {
    let mut cmd: Command = ingot();
    cmd.arg("repl").args(args).current_dir(dir);
    // No history file of the tester's is read or written.
    cmd.env("XDG_STATE_HOME", dir.join("state"));
    cmd.env("TERM", "xterm");
    let options = rexpect::reader::Options::new()
        .timeout_ms(Some(60_000))
        .strip_ansi_escape_codes(true);
    let mut s = rexpect::session::spawn_with_options(cmd, options).unwrap();
    s.exp_string(PROMPT).unwrap();
    s
}

fn root_tree(dir: &Path) -> std::path::PathBuf {
    let root = dir.join("root");
    std::fs::create_dir_all(root.join("boot")).unwrap();
    std::fs::create_dir_all(root.join("etc")).unwrap();
    std::fs::write(root.join("boot/vmlinuz"), b"kernel").unwrap();
    std::fs::write(root.join("boot/initrd.img"), b"initrd").unwrap();
    std::fs::write(root.join("etc/motd"), b"built from the REPL\n").unwrap();
    root
}

/// Sends a line and waits for `needle` in what follows; returns what came before it.
fn until(s: &mut PtySession, line: &str, needle: &str) -> String {
    s.send_line(line).unwrap();
    s.exp_string(needle)
        .unwrap_or_else(|e| panic!("after {line:?}, no {needle:?}: {e}"))
}

/// What a line prints, up to the value of a marker expression evaluated after it.
fn printed(s: &mut PtySession, line: &str) -> String {
    s.send_line(line).unwrap();
    until(s, "(+ 1000 234)", "1234")
}

#[test]
fn define_inherit_complete_describe_and_mistakes() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = repl(&[], dir.path());
    until(
        &mut s,
        "(define big-esp (partition (inherit esp-partition) (size (* 64 (expt 2 20)))))",
        PROMPT,
    );
    until(&mut s, "(partition-size big-esp)", "67108864");
    // Inherited from esp-partition.
    until(&mut s, "(partition-label big-esp)", "\"GNU-ESP\"");

    // Tab completes a session name, then a field inside a record form.
    s.send("(partition-size big-e").unwrap();
    s.send("\t").unwrap();
    s.flush().unwrap();
    s.exp_string("big-esp").unwrap();
    until(&mut s, ")", "67108864");
    s.send("(partition-label (partition (inherit big-esp) (lab")
        .unwrap();
    s.send("\t").unwrap();
    s.flush().unwrap();
    s.exp_string("(label").unwrap();
    until(&mut s, " (string-append \"da\" \"ta\"))))", "\"data\"");

    let out = printed(&mut s, ",describe partition");
    assert!(out.contains("partition: record"), "{out}");
    assert!(
        out.contains("default 'guess") && out.contains("required"),
        "{out}"
    );

    let out = printed(&mut s, "(shwo big-esp)");
    assert!(
        out.contains("unbound name `shwo`") && out.contains("did you mean `show`?"),
        "{out}"
    );
    let out = printed(&mut s, "(partition (lable \"x\"))");
    assert!(
        out.contains("field lable") && out.contains("did you mean `label`"),
        "{out}"
    );

    // Typed ahead in one write: every line is evaluated.
    s.send("(define a 40)\r(define b 2)\r(* a b)\r").unwrap();
    s.flush().unwrap();
    s.exp_string("80").unwrap();
    // Pasted as a block, a procedure calls what a later line defines, as in a file.
    s.send("(define (f) (+ (g) 1))\r(define (g) 41)\r(f)\r")
        .unwrap();
    s.flush().unwrap();
    let out = s.exp_string("42").unwrap();
    assert!(!out.contains("unknown") && !out.contains("error"), "{out}");
    // A comment alone is no error; display's output is shown.
    let out = printed(&mut s, ";; nothing here");
    assert!(!out.contains("error"), "{out}");
    let out = printed(
        &mut s,
        "(display (string-append \"hello from\" \" display\"))",
    );
    assert!(out.contains("hello from display"), "{out}");

    // Ctrl-C abandons the form being typed; Ctrl-D leaves with a word.
    s.send_line("(partition").unwrap();
    s.exp_string("...>").unwrap();
    s.send_control('c').unwrap();
    s.exp_string("input abandoned").unwrap();
    until(&mut s, "(+ 1 1)", "2");
    // Between inputs the terminal is in cooked mode, where ^D would be lost: wait for the
    // prompt (rustyline's raw mode) first.
    s.exp_string(PROMPT).unwrap();
    s.send_control('d').unwrap();
    s.exp_string("bye").unwrap();
    s.exp_eof().unwrap();
}

#[test]
fn show_and_build_are_the_cli_s() {
    let dir = tempfile::tempdir().unwrap();
    let root = root_tree(dir.path());
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/efi-os.scm");
    let root_arg = root.to_str().unwrap();
    let shown = ingot_ok(&["show", example, "--root-tree", root_arg]);

    let mut s = repl(&[example, "--root-tree", root_arg], dir.path());
    let out = printed(&mut s, "(show %value)").replace("\r\n", "\n");
    for line in shown.lines() {
        assert!(
            out.contains(line),
            "missing {line:?} in the REPL's show:\n{out}"
        );
    }
    let out = printed(&mut s, "(build %value \"x.img\")");
    assert!(
        out.contains("x.img: disk-image") && out.contains("built in"),
        "{out}"
    );
    // The CLI's progress bar, on the same terminal.
    assert!(out.contains("B/") && out.contains("ETA"), "{out}");
    // Between inputs the terminal is in cooked mode, where ^D would be lost: wait for the
    // prompt (rustyline's raw mode) first.
    s.exp_string(PROMPT).unwrap();
    s.send_control('d').unwrap();
    s.exp_eof().unwrap();

    let from_repl = dir.path().join("x.img");
    let from_cli = dir.path().join("cli.img");
    ingot_ok(&[
        "build",
        example,
        "--root-tree",
        root_arg,
        "-o",
        from_cli.to_str().unwrap(),
    ]);
    assert!(
        std::fs::read(&from_repl).unwrap() == std::fs::read(&from_cli).unwrap(),
        "the REPL's image differs from the CLI's"
    );
    // And it is a sound image: both file systems check clean.
    let plan: serde_json::Value = serde_json::from_str(&ingot_ok(&[
        "show",
        "--json",
        example,
        "--root-tree",
        root_arg,
    ]))
    .unwrap();
    for p in plan["partitions"].as_array().unwrap() {
        let part = extract(
            &from_repl,
            p["offset"].as_u64().unwrap(),
            p["size"].as_u64().unwrap(),
        );
        match p["file_system_built"].as_str().unwrap() {
            "ext4" => e2fsck_clean(part.path()),
            "fat16" | "fat32" => fsck_vfat_clean(part.path()),
            other => panic!("{other}"),
        }
    }
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}
