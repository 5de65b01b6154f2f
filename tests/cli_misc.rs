//! The REPL driven through a pipe, and `ingot doctor`.

mod common;

use std::io::Write;
use std::process::Stdio;

use common::ingot::{ingot, ingot_ok};

#[test]
fn repl_defines_inherits_shows_and_survives_errors() {
    let mut child = ingot()
        .arg("repl")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(
            b"(define p (partition (inherit esp-partition) (label \"XLABEL\")))\n\
              (partition-label p)\n\
              (partition (lable \"x\"))\n\
              (show efi-disk-image)\n\
              (+ 40\n   2)\n",
        )
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{all}");
    assert!(all.contains("\"XLABEL\""), "{all}");
    assert!(
        all.contains("field lable") && all.contains("did you mean `label`"),
        "{all}"
    );
    assert!(
        all.contains("GNU-ESP") && all.contains("C12A7328-F81F-11D2-BA4B-00A0C93EC93B"),
        "{all}"
    );
    // multi-line input after an error: the REPL is still there.
    assert!(all.lines().any(|l| l.trim() == "42"), "{all}");
}

#[test]
fn doctor_reports_the_tools_here() {
    let out = ingot_ok(&["doctor"]);
    for piece in [
        "grub-mkimage",
        "GRUB i386-pc modules",
        "libisofs",
        "qemu-img",
    ] {
        let line = out
            .lines()
            .find(|l| l.contains(piece))
            .unwrap_or_else(|| panic!("{out}"));
        // scripts/install-deps.sh installed everything: doctor must see it.
        assert!(line.starts_with("ok"), "{line}");
    }
}

#[test]
fn repl_show_is_ingot_show() {
    let root = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(root.path().join("boot")).unwrap();
    std::fs::write(root.path().join("boot/vmlinuz"), b"kernel").unwrap();
    std::fs::write(root.path().join("boot/initrd.img"), b"initrd").unwrap();
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/efi-os.scm");
    let root_arg = root.path().to_str().unwrap();
    let cli = ingot_ok(&["show", example, "--root-tree", root_arg]);
    // The OS's file-systems name the root "demo-root": the plan must say so, both ways.
    assert!(cli.contains("demo-root"), "{cli}");
    let mut child = ingot()
        .args(["repl", example, "--root-tree", root_arg])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(
            b"(show (image (inherit efi-disk-image) (name 'efi.img) (operating-system my-os)))\n",
        )
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let repl = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{repl}");
    assert!(repl.contains(cli.trim_end()), "REPL:\n{repl}\nCLI:\n{cli}");
}
