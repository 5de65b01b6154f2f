//! Outputs that cannot hurt: `-o` refuses devices, FIFOs and sockets before any work and writes
//! into directories; interrupted and killed builds leave nothing behind (the next run removes
//! what a SIGKILL left); external tools die with ingot.

mod common;

use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::ingot::{fixture, ingot};

/// A root tree with a kernel-shaped file and `mib` MiB of incompressible data, so that
/// writing and compressing take long enough to interrupt.
fn slow_root(dir: &Path, mib: usize) -> PathBuf {
    let root = dir.join("root");
    std::fs::create_dir_all(root.join("boot")).unwrap();
    std::fs::write(root.join("boot/vmlinuz"), b"kernel").unwrap();
    std::fs::write(root.join("boot/initrd.img"), b"initrd").unwrap();
    // xorshift: incompressible enough for zstd, and no /dev/urandom read of 300 MiB.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut data = vec![0u8; mib << 20];
    for chunk in data.chunks_mut(8) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        chunk.copy_from_slice(&x.to_le_bytes()[..chunk.len()]);
    }
    std::fs::write(root.join("big"), data).unwrap();
    root
}

fn build_args<'a>(root: &'a Path, ty: &'a str, out: &'a str) -> Vec<String> {
    vec![
        "build".into(),
        fixture("os-bios.scm"),
        "-t".into(),
        ty.into(),
        "--root-tree".into(),
        root.display().to_string(),
        "-o".into(),
        out.into(),
    ]
}

/// The entries of `dir` other than the root tree, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "root")
        .collect();
    names.sort();
    names
}

/// The pids of `parent`'s children named `comm`.
fn children_named(parent: u32, comm: &str) -> Vec<u32> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        // pid (comm) state ppid …: comm may hold spaces, so split after the last ')'.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let ppid = stat[close + 1..].split_whitespace().nth(1);
        if &stat[open + 1..close] == comm && ppid == Some(&parent.to_string()) {
            found.push(pid);
        }
    }
    found
}

fn wait_for<T>(what: &str, timeout: Duration, mut probe: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = probe() {
            return v;
        }
        assert!(start.elapsed() < timeout, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Whether a process is gone (not even a zombie).
fn gone(pid: u32) -> bool {
    !Path::new(&format!("/proc/{pid}")).exists()
}

fn spawn(dir: &Path, args: &[String]) -> Child {
    ingot()
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn signal(child: &Child, sig: i32) {
    // SAFETY: a signal to our own child, which has not been waited for yet.
    assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, sig) }, 0);
}

#[test]
fn special_files_are_refused_before_any_work_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let dev = d.join("null");
    let fifo = d.join("fifo");
    let socket = d.join("socket");
    for (path, kind) in [(&dev, libc::S_IFCHR), (&fifo, libc::S_IFIFO)] {
        let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
        // SAFETY: a valid path; makedev(1, 3) is /dev/null's number.
        let r = unsafe { libc::mknod(c.as_ptr(), kind | 0o644, libc::makedev(1, 3)) };
        assert_eq!(r, 0, "mknod {}", path.display());
    }
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    // The root tree does not exist: had ingot done any work first, it would say so.
    for (path, what) in [
        (&dev, "a character device"),
        (&fifo, "a FIFO"),
        (&socket, "a socket"),
    ] {
        let out = ingot()
            .args(build_args(
                &d.join("no-such-root"),
                "mbr-raw",
                path.to_str().unwrap(),
            ))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.contains(&format!("it is {what}")) && !stderr.contains("no-such-root"),
            "{stderr}"
        );
    }
    let kind = |p: &Path| std::fs::symlink_metadata(p).unwrap().file_type();
    assert!(kind(&dev).is_char_device());
    assert_eq!(
        std::fs::symlink_metadata(&dev).unwrap().rdev(),
        libc::makedev(1, 3)
    );
    assert!(kind(&fifo).is_fifo());
    assert!(kind(&socket).is_socket());
    let mut names = entries(d);
    names.retain(|n| !["null", "fifo", "socket"].contains(&n.as_str()));
    assert!(names.is_empty(), "{names:?}");
}

use std::os::unix::fs::MetadataExt;

#[test]
fn a_directory_output_gets_the_default_name() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    std::fs::create_dir_all(root.join("boot")).unwrap();
    std::fs::write(root.join("boot/vmlinuz"), b"kernel").unwrap();
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    for (i, spelling) in [
        out_dir.display().to_string(),
        format!("{}/", out_dir.display()),
    ]
    .iter()
    .enumerate()
    {
        let out = ingot()
            .args(build_args(&root, "mbr-raw", spelling))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{spelling}: {stderr}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let written = out_dir.join("disk-image.img");
        assert_eq!(Path::new(stdout.trim()), written.as_path(), "{i}");
        let sfdisk =
            common::disk::run(std::process::Command::new("sfdisk").arg("-d").arg(&written));
        assert!(sfdisk.contains("label: dos"), "{sfdisk}");
        assert_eq!(entries(&out_dir), ["disk-image.img"]);
    }
    // A directory where the default name would go is refused, not replaced.
    std::fs::remove_file(out_dir.join("disk-image.img")).unwrap();
    std::fs::create_dir(out_dir.join("disk-image.img")).unwrap();
    let out = ingot()
        .args(build_args(&root, "mbr-raw", out_dir.to_str().unwrap()))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("it is a directory"),
        "{stderr}"
    );
    // A file named with a trailing slash is not a directory.
    let file = dir.path().join("plain");
    std::fs::write(&file, b"keep").unwrap();
    let out = ingot()
        .args(build_args(
            &root,
            "mbr-raw",
            &format!("{}/", file.display()),
        ))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("not a directory"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&file).unwrap(), b"keep");
}

#[test]
fn sigint_during_qcow2_stops_qemu_img_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = slow_root(dir.path(), 300);
    let child = spawn(dir.path(), &build_args(&root, "qcow2", "vm.qcow2"));
    let pid = child.id();
    let qemu = wait_for("qemu-img to start", Duration::from_secs(120), || {
        children_named(pid, "qemu-img").first().copied()
    });
    signal(&child, libc::SIGINT);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(
        stderr.contains("temporary files removed, nothing written"),
        "{stderr}"
    );
    wait_for("qemu-img to die", Duration::from_secs(5), || {
        gone(qemu).then_some(())
    });
    assert!(entries(dir.path()).is_empty(), "{:?}", entries(dir.path()));
}

#[test]
fn what_a_sigkill_leaves_is_removed_by_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let root = slow_root(dir.path(), 300);
    let args = build_args(&root, "qcow2", "vm.qcow2");
    let mut child = spawn(dir.path(), &args);
    let pid = child.id();
    let qemu = wait_for("qemu-img to start", Duration::from_secs(120), || {
        children_named(pid, "qemu-img").first().copied()
    });
    signal(&child, libc::SIGKILL);
    child.wait().unwrap();
    // The kernel kills the child with its parent.
    wait_for("qemu-img to die", Duration::from_secs(5), || {
        gone(qemu).then_some(())
    });
    let left = entries(dir.path());
    assert!(
        left.iter()
            .any(|n| n.starts_with(&format!(".ingot-scratch-{pid}-")))
            && left
                .iter()
                .any(|n| n.starts_with(&format!(".vm.qcow2.ingot-{pid}-"))),
        "a SIGKILL cannot clean up: {left:?}"
    );
    // Another file in the directory is someone else's business.
    std::fs::write(dir.path().join(".vm.qcow2.notours"), b"x").unwrap();
    let out = ingot()
        .current_dir(dir.path())
        .args(&args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(entries(dir.path()), [".vm.qcow2.notours", "vm.qcow2"]);
}

#[test]
fn sigint_with_the_mke2fs_writer_leaves_no_scratch() {
    let dir = tempfile::tempdir().unwrap();
    let root = slow_root(dir.path(), 100);
    let mut args = build_args(&root, "mbr-raw", "disk.img");
    args.extend(["--ext-writer".into(), "mke2fs".into()]);
    // Interrupt at different points of the mke2fs writer: while it copies the tree, while
    // mke2fs runs, while debugfs runs.
    for delay_ms in [0u64, 150, 400, 900] {
        let child = spawn(dir.path(), &args);
        let pid = child.id();
        wait_for("the mke2fs work directory", Duration::from_secs(60), || {
            let scratch = std::fs::read_dir(dir.path()).unwrap().flatten().find(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(".ingot-scratch-")
            })?;
            let work = std::fs::read_dir(scratch.path()).ok()?.flatten().next();
            work.map(|_| ())
        });
        std::thread::sleep(Duration::from_millis(delay_ms));
        signal(&child, libc::SIGINT);
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let left = entries(dir.path());
        if out.status.code() == Some(130) {
            assert!(
                stderr.contains("temporary files removed, nothing written"),
                "{delay_ms} ms: {stderr}"
            );
            assert!(left.is_empty(), "{delay_ms} ms: {left:?}\n{stderr}");
        } else {
            // Finished before the signal: then the image is all there is.
            assert!(out.status.success(), "{delay_ms} ms: {stderr}");
            assert_eq!(left, ["disk.img"], "{delay_ms} ms");
            std::fs::remove_file(dir.path().join("disk.img")).unwrap();
        }
        for tool in ["mke2fs", "debugfs"] {
            assert!(children_named(pid, tool).is_empty());
        }
    }
}
