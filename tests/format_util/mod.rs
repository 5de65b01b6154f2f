//! Shared helpers of the format tests: a fixture tree with every kind of node, running the
//! oracle tools, and comparing an extracted directory with the tree it came from.
#![allow(dead_code)] // each test binary uses a different part

use std::collections::HashMap;
use std::ffi::CString;
use std::fs;
use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::Path;
use std::process::{Command, Output};

use ingot::content::{self, LoadPolicy, NodeId, NodeKind, Tree, ROOT};

/// A non-UTF-8 file name (Latin-1 "café").
pub const LATIN1_NAME: &[u8] = b"caf\xe9";

fn set_xattr(path: &Path, name: &str, value: &[u8]) {
    let p = CString::new(path.as_os_str().as_bytes()).unwrap();
    let n = CString::new(name).unwrap();
    // SAFETY: valid C strings and buffer.
    let rc = unsafe {
        libc::lsetxattr(
            p.as_ptr(),
            n.as_ptr(),
            value.as_ptr().cast(),
            value.len(),
            0,
        )
    };
    assert_eq!(rc, 0, "setxattr {name} on {}", path.display());
}

fn mknod(path: &Path, mode: libc::mode_t, major: u32, minor: u32) {
    let p = CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: valid C string.
    let rc = unsafe { libc::mknod(p.as_ptr(), mode, libc::makedev(major, minor)) };
    assert_eq!(rc, 0, "mknod {} (the tests run as root)", path.display());
    // mknod applies the umask; set the mode the test expects.
    fs::set_permissions(path, fs::Permissions::from_mode(mode & 0o7777)).unwrap();
}

/// Builds a directory with regular files (empty, small, 3 MiB, setuid, sticky dir), owners,
/// symlinks (short and > 100 bytes), hard links, a FIFO, char and block devices, a socket,
/// xattrs, a path longer than 255 bytes and a non-UTF-8 name; loads it keeping owners.
pub fn fixture() -> (tempfile::TempDir, Tree) {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path().join("root");
    fs::create_dir_all(r.join("bin")).unwrap();
    fs::create_dir_all(r.join("etc/ssl")).unwrap();
    fs::create_dir_all(r.join("tmp")).unwrap();
    fs::create_dir_all(r.join("dev")).unwrap();
    fs::create_dir_all(r.join("home/user")).unwrap();
    fs::write(r.join("etc/hostname"), b"box\n").unwrap();
    fs::write(r.join("etc/empty"), b"").unwrap();
    let big: Vec<u8> = (0..3u32 << 20)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    fs::write(r.join("etc/ssl/big.bin"), &big).unwrap();
    fs::write(r.join("bin/busybox"), b"#!/bin/true\n").unwrap();
    fs::set_permissions(r.join("bin/busybox"), fs::Permissions::from_mode(0o4755)).unwrap();
    fs::set_permissions(r.join("tmp"), fs::Permissions::from_mode(0o1777)).unwrap();
    symlink("busybox", r.join("bin/sh")).unwrap();
    symlink("/bin/busybox", r.join("bin/mount")).unwrap();
    let long_target = format!("/{}", "t".repeat(150));
    symlink(&long_target, r.join("etc/long-link")).unwrap();
    fs::hard_link(r.join("etc/hostname"), r.join("etc/hostname2")).unwrap();
    fs::hard_link(r.join("etc/hostname"), r.join("home/user/hostname3")).unwrap();
    fs::write(r.join("home/user/.profile"), b"export PS1='$ '\n").unwrap();
    fs::set_permissions(
        r.join("home/user/.profile"),
        fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    std::os::unix::fs::chown(r.join("home/user"), Some(1000), Some(100)).unwrap();
    std::os::unix::fs::lchown(r.join("home/user/.profile"), Some(1000), Some(100)).unwrap();
    mknod(&r.join("dev/null"), libc::S_IFCHR | 0o666, 1, 3);
    mknod(&r.join("dev/sda"), libc::S_IFBLK | 0o660, 8, 0);
    mknod(&r.join("dev/initctl"), libc::S_IFIFO | 0o600, 0, 0);
    let _socket = std::os::unix::net::UnixListener::bind(r.join("dev/log")).unwrap();
    set_xattr(&r.join("bin/busybox"), "user.role", b"shell");
    set_xattr(&r.join("etc/hostname"), "user.bin", b"a\0b\xff");
    let deep = r
        .join("a".repeat(100))
        .join("b".repeat(100))
        .join("c".repeat(100));
    fs::create_dir_all(&deep).unwrap();
    fs::write(deep.join("deep-file"), b"deep\n").unwrap();
    fs::write(
        r.join("etc").join(std::ffi::OsStr::from_bytes(LATIN1_NAME)),
        b"latin1\n",
    )
    .unwrap();
    let tree = content::load_dir(
        &r,
        LoadPolicy {
            owners: ingot::content::Owners::Keep,
            clamp_mtime: None,
        },
    )
    .unwrap();
    (dir, tree)
}

/// Every reachable entry: (path bytes, node), depth-first in sorted order, root = "".
pub fn walk_bytes(tree: &Tree) -> Vec<(Vec<u8>, NodeId)> {
    let mut out = Vec::new();
    let mut stack = vec![(Vec::new(), ROOT)];
    while let Some((path, id)) = stack.pop() {
        for (name, child) in tree.children(id).iter().rev() {
            stack.push(([path.as_slice(), b"/", name].concat(), *child));
        }
        out.push((path, id));
    }
    out
}

fn read_all(tree: &Tree, id: NodeId) -> Vec<u8> {
    let (src, size) = tree.file_source(id).unwrap();
    let mut data = Vec::new();
    content::open_source(src, size)
        .unwrap()
        .read_to_end(&mut data)
        .unwrap();
    data
}

/// What the comparison may ignore, per format.
#[derive(Clone, Copy)]
pub struct Compare {
    /// Every node's expected mtime (None: as in the tree).
    pub mtime: Option<i64>,
    pub owners: bool,
    pub xattrs: bool,
    /// Compare the root directory's own metadata.
    pub root_meta: bool,
    /// Require the same hard-link structure.
    pub hardlinks: bool,
}

/// Asserts that `actual` (a tree loaded from extracted output) equals `expected`: the same
/// paths, kinds, modes, owners, times, xattrs, file data, link targets, devices, and the same
/// hard-link structure. Sockets of `expected` must be absent.
pub fn assert_same(expected: &Tree, actual: &Tree, cmp: Compare) {
    let exp: Vec<_> = walk_bytes(expected)
        .into_iter()
        .filter(|(_, id)| !matches!(expected.node(*id).kind, NodeKind::Socket))
        .collect();
    let act = walk_bytes(actual);
    let names = |v: &[(Vec<u8>, NodeId)]| -> Vec<String> {
        v.iter()
            .map(|(p, _)| String::from_utf8_lossy(p).into_owned())
            .collect()
    };
    assert_eq!(names(&exp), names(&act), "the same paths in the same order");
    let mut id_map: HashMap<NodeId, NodeId> = HashMap::new();
    for ((path, e), (_, a)) in exp.iter().zip(&act) {
        let show = String::from_utf8_lossy(path);
        let (en, an) = (expected.node(*e), actual.node(*a));
        if let Some(prev) = id_map.insert(*e, *a) {
            if cmp.hardlinks {
                assert_eq!(prev, *a, "{show}: hard link structure");
            }
        }
        if path.is_empty() && !cmp.root_meta {
            continue;
        }
        assert_eq!(en.meta.mode, an.meta.mode, "{show}: mode");
        if cmp.owners {
            assert_eq!(
                (en.meta.uid, en.meta.gid),
                (an.meta.uid, an.meta.gid),
                "{show}: owner"
            );
        }
        if !matches!(en.kind, NodeKind::Symlink(_)) {
            let want = cmp.mtime.unwrap_or(en.meta.mtime);
            assert_eq!(want, an.meta.mtime, "{show}: mtime");
        }
        if cmp.xattrs {
            assert_eq!(en.meta.xattrs, an.meta.xattrs, "{show}: xattrs");
        }
        match (&en.kind, &an.kind) {
            (NodeKind::File { size: s1, .. }, NodeKind::File { size: s2, .. }) => {
                assert_eq!(s1, s2, "{show}: size");
                assert!(
                    read_all(expected, *e) == read_all(actual, *a),
                    "{show}: data"
                );
            }
            (NodeKind::Dir(_), NodeKind::Dir(_)) => {}
            (k1, k2) => assert_eq!(k1, k2, "{show}: kind"),
        }
    }
    let distinct: std::collections::HashSet<_> = id_map.values().collect();
    if cmp.hardlinks {
        assert_eq!(distinct.len(), id_map.len(), "no extra hard links");
    }
}

/// Runs a command; panics with its output if it fails (a missing tool fails the test).
pub fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap_or_else(|e| {
        panic!("cannot run {cmd:?} (install it with scripts/install-deps.sh): {e}")
    });
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

pub fn stdout(cmd: &mut Command) -> String {
    String::from_utf8_lossy(&run(cmd).stdout).into_owned()
}

/// Loads an extracted directory keeping owners and times.
pub fn load(dir: &Path) -> Tree {
    content::load_dir(
        dir,
        LoadPolicy {
            owners: ingot::content::Owners::Keep,
            clamp_mtime: None,
        },
    )
    .unwrap()
}
