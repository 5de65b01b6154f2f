//! Driving the `ingot` binary from end-to-end tests, and reading back what it built.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::disk::run;
use super::{initramfs, Kernel};

/// The path of a file under tests/fixtures.
pub fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

/// The ingot binary with a quiet, private Steel home.
pub fn ingot() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ingot"));
    cmd.env(
        "STEEL_HOME",
        std::env::temp_dir().join("ingot-test-steel-home"),
    );
    cmd.env_remove("SOURCE_DATE_EPOCH");
    cmd
}

/// Runs ingot and returns stdout; panics with stderr when it fails.
pub fn ingot_ok(args: &[&str]) -> String {
    run(ingot().args(args))
}

/// Runs ingot expecting failure; returns stderr.
pub fn ingot_err(args: &[&str]) -> String {
    let out: Output = ingot().args(args).output().expect("running ingot");
    assert!(
        !out.status.success(),
        "ingot {args:?} should have failed:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `ingot show --json ARGS`.
pub fn show_json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["show", "--json"];
    all.extend_from_slice(args);
    let text = ingot_ok(&all);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("show --json: {e}\n{text}"))
}

/// A root tree that boots with the test kernel and initramfs (/boot/vmlinuz,
/// /boot/initrd.img, /etc/boot-marker holding `suffix`).
pub fn bootable_root(dir: &Path, suffix: &str) {
    let kernel = Kernel::find();
    std::fs::create_dir_all(dir.join("boot")).unwrap();
    std::fs::create_dir_all(dir.join("etc")).unwrap();
    std::fs::copy(&kernel.vmlinuz, dir.join("boot/vmlinuz")).unwrap();
    std::fs::write(dir.join("boot/initrd.img"), initramfs(&kernel)).unwrap();
    std::fs::write(dir.join("etc/boot-marker"), format!("{suffix}\n")).unwrap();
}

/// Copies `size` bytes at `offset` of `image` into a sparse temporary file (e2fsck and
/// fsck.vfat want a file of their own).
pub fn extract(image: &Path, offset: u64, size: u64) -> tempfile::NamedTempFile {
    let src = File::open(image).unwrap();
    let out = tempfile::NamedTempFile::new().unwrap();
    out.as_file().set_len(size).unwrap();
    let ranges = ingot::fileio::data_ranges(&src, offset + size).unwrap();
    let mut buf = vec![0u8; 1 << 20];
    for (start, end) in ranges {
        let (start, end) = (start.max(offset), end.min(offset + size));
        let mut pos = start;
        while pos < end {
            let n = ((end - pos) as usize).min(buf.len());
            src.read_exact_at(&mut buf[..n], pos).unwrap();
            if buf[..n].iter().any(|b| *b != 0) {
                out.as_file().write_all_at(&buf[..n], pos - offset).unwrap();
            }
            pos += n as u64;
        }
    }
    out
}

/// `e2fsck -fn` must be clean.
pub fn e2fsck_clean(fs: &Path) {
    run(Command::new("e2fsck").args(["-fn"]).arg(fs));
}

/// `fsck.vfat -n` must be clean.
pub fn fsck_vfat_clean(fs: &Path) {
    let out = run(Command::new("fsck.vfat").args(["-n", "-v"]).arg(fs));
    assert!(!out.contains("Dirty bit"), "{out}");
}

/// `debugfs rdump /` of an ext file system into a new directory.
pub fn ext_dump(fs: &Path) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    run(Command::new("debugfs")
        .arg("-R")
        .arg(format!("rdump / {}", out.path().display()))
        .arg(fs));
    out
}

/// Every path below `root`, relative, sorted, with a description of type, mode and content.
pub fn describe_tree(root: &Path) -> Vec<String> {
    use std::os::unix::fs::MetadataExt;
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let path = root.join(&rel);
        let md = std::fs::symlink_metadata(&path).unwrap();
        let kind = if md.is_dir() {
            let mut names: Vec<_> = std::fs::read_dir(&path)
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            names.sort();
            for n in names.into_iter().rev() {
                if rel.as_os_str().is_empty() && n == "lost+found" {
                    continue;
                }
                stack.push(rel.join(n));
            }
            "dir".to_string()
        } else if md.file_type().is_symlink() {
            format!("link->{}", std::fs::read_link(&path).unwrap().display())
        } else if md.is_file() {
            use sha2::Digest;
            let data = std::fs::read(&path).unwrap();
            format!("file:{:x}", sha2::Sha256::digest(&data))
        } else {
            "special".to_string()
        };
        if !rel.as_os_str().is_empty() {
            out.push(format!(
                "{} {} {:o}",
                rel.display(),
                kind,
                md.mode() & 0o7777
            ));
        }
    }
    out.sort();
    out
}

/// `ingot build` of the fixture OS (tests/fixtures/os-efi.scm) as image type `t`, from
/// `root_tree`, into `out`.
pub fn build_fixture_os(t: &str, root_tree: &Path, out: &Path) -> Command {
    let mut cmd = ingot();
    cmd.args(["build", &fixture("os-efi.scm"), "-t", t, "--root-tree"]);
    cmd.arg(root_tree).arg("-o").arg(out);
    cmd
}

/// `ingot repl ARGS` fed `input` on stdin: its output, stdout and stderr.
pub fn repl_session(args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = ingot()
        .arg("repl")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// The (offset, size) of the first partition of `show --json`'s `plan` with `flag`.
pub fn flagged_partition(plan: &serde_json::Value, flag: &str) -> (u64, u64) {
    let p = plan["partitions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["flags"].as_array().unwrap().iter().any(|f| f == flag))
        .unwrap_or_else(|| panic!("no partition with flag {flag}: {plan}"));
    (p["offset"].as_u64().unwrap(), p["size"].as_u64().unwrap())
}
