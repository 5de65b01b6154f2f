//! Shared helpers of the ext tests: build an image file, check it with e2fsck, and read it
//! back with debugfs to compare it with the tree it was made from.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use ingot::content::{self, FileSource, Meta, Node, NodeKind, Tree, ROOT};
use ingot::disk::Region;
use ingot::fs::ext::{self, ExtBackend, ExtKind, ExtParams};
use ingot::model::Uuid;

pub const TS: i64 = 1_700_000_000;

pub fn params(kind: ExtKind, backend: ExtBackend, options: &[&str]) -> ExtParams {
    ExtParams {
        kind,
        label: "ingot-test".into(),
        uuid: Uuid::parse("33333333-4444-4555-8666-777777777777").unwrap(),
        hash_seed: Uuid::parse("0b6f3c1a-2d4e-4f60-8a1b-9c2d3e4f5a6b").unwrap(),
        timestamp: TS,
        options: options.iter().map(|s| s.to_string()).collect(),
        backend,
    }
}

/// Writes the file system into a fresh sparse file of `size` bytes at `offset`.
pub fn build_at(
    dir: &Path,
    tree: &Tree,
    params: &ExtParams,
    size: u64,
    offset: u64,
) -> Result<PathBuf, ext::ExtError> {
    let path = dir.join("image.raw");
    let _ = fs::remove_file(&path);
    let file = File::create(&path).unwrap();
    file.set_len(offset + size).unwrap();
    let region = Region::new(&file, offset, size);
    ext::write(&region, tree, params)?;
    if offset == 0 {
        return Ok(path);
    }
    // Tools read the file system alone: cut it out.
    let fs_only = dir.join("fs.raw");
    let status = Command::new("dd")
        .args([
            format!("if={}", path.display()),
            format!("of={}", fs_only.display()),
            "bs=4096".into(),
            format!("skip={}", offset / 4096),
            "conv=sparse".into(),
            "status=none".into(),
        ])
        .status()
        .unwrap();
    assert!(status.success());
    Ok(fs_only)
}

pub fn build(dir: &Path, tree: &Tree, params: &ExtParams, size: u64) -> PathBuf {
    build_at(dir, tree, params, size, 0).unwrap_or_else(|e| panic!("build failed: {e}"))
}

/// `e2fsck -fn` must exit 0 and report nothing to fix.
pub fn fsck(image: &Path) {
    let out = Command::new("e2fsck")
        .arg("-fn")
        .arg(image)
        .output()
        .expect("e2fsck must be installed (scripts/install-deps.sh)");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "e2fsck -fn failed ({}):\n{text}",
        out.status
    );
}

pub fn debugfs(image: &Path, request: &str) -> String {
    let out = Command::new("debugfs")
        .arg("-R")
        .arg(request)
        .arg(image)
        .output()
        .expect("debugfs must be installed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `dumpe2fs -h` as a map of "Field name" -> value.
pub fn superblock(image: &Path) -> BTreeMap<String, String> {
    let out = Command::new("dumpe2fs")
        .arg("-h")
        .arg(image)
        .output()
        .expect("dumpe2fs must be installed");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

fn quote(path: &str) -> String {
    format!("\"{}\"", path.replace('"', "\"\""))
}

/// Runs a debugfs command file and splits stdout by command.
fn debugfs_batch(image: &Path, dir: &Path, commands: &[String]) -> Vec<String> {
    let file = dir.join("cmds.debugfs");
    fs::write(&file, commands.join("\n") + "\n").unwrap();
    let out = Command::new("debugfs")
        .arg("-f")
        .arg(&file)
        .arg(image)
        .output()
        .expect("debugfs must be installed");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut sections: Vec<String> = Vec::new();
    for line in stdout.lines() {
        if line.starts_with("debugfs: ") {
            sections.push(String::new());
        } else if let Some(s) = sections.last_mut() {
            s.push_str(line);
            s.push('\n');
        }
    }
    assert_eq!(sections.len(), commands.len(), "debugfs output:\n{stdout}");
    sections
}

#[derive(Debug, Default)]
pub struct Stat {
    pub inode: u64,
    pub kind: String,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub size: u64,
    pub links: u32,
    pub times: BTreeMap<String, i64>,
    pub device: Option<(u32, u32)>,
    pub xattr_names: Vec<String>,
    pub flags: u32,
}

fn word_after<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let rest = &text[text.find(key)? + key.len()..];
    rest.split_whitespace().next()
}

fn parse_time(v: &str) -> i64 {
    let v = v.trim_start_matches("0x");
    let (lo, extra) = match v.split_once(':') {
        Some((lo, ex)) => (lo, u32::from_str_radix(ex, 16).unwrap()),
        None => (v, 0),
    };
    let lo = u32::from_str_radix(lo, 16).unwrap() as i32 as i64;
    lo + (((extra & 3) as i64) << 32)
}

pub fn parse_stat(text: &str) -> Stat {
    let mut s = Stat {
        inode: word_after(text, "Inode:").unwrap().parse().unwrap(),
        kind: text
            .split("Type: ")
            .nth(1)
            .unwrap()
            .split("   ")
            .next()
            .unwrap()
            .trim()
            .to_string(),
        mode: u32::from_str_radix(word_after(text, "Mode:").unwrap(), 8).unwrap(),
        flags: u32::from_str_radix(
            word_after(text, "Flags:").unwrap().trim_start_matches("0x"),
            16,
        )
        .unwrap(),
        uid: word_after(text, "User:").unwrap().parse().unwrap(),
        gid: word_after(text, "Group:").unwrap().parse().unwrap(),
        size: word_after(text, "Size:").unwrap().parse().unwrap(),
        links: word_after(text, "Links:").unwrap().parse().unwrap(),
        ..Default::default()
    };
    for line in text.lines() {
        let t = line.trim_start();
        for key in ["ctime", "atime", "mtime", "crtime"] {
            if let Some(v) = t.strip_prefix(&format!("{key}: ")) {
                s.times
                    .insert(key.into(), parse_time(v.split_whitespace().next().unwrap()));
            }
        }
        if let Some(v) = t.split("Device major/minor number: ").nth(1) {
            let (a, b) = v
                .split_whitespace()
                .next()
                .unwrap()
                .split_once(':')
                .unwrap();
            s.device = Some((a.parse().unwrap(), b.parse().unwrap()));
        }
    }
    if let Some(ea) = text.split("Extended attributes:\n").nth(1) {
        for line in ea.lines() {
            let Some(rest) = line.strip_prefix("  ") else {
                break;
            };
            let name = rest.rsplit_once(" (").map(|(n, _)| n).unwrap_or(rest);
            s.xattr_names.push(name.to_string());
        }
    }
    s
}

/// debugfs shows the owner, group, mask and other entries of an ACL with id 0 where Linux
/// says -1 (both mean "no id"): compare them that way.
fn acl_without_unused_ids(value: &[u8]) -> Vec<u8> {
    let mut v = value.to_vec();
    for e in v[4..].chunks_exact_mut(8) {
        if matches!(u16::from_le_bytes([e[0], e[1]]), 0x01 | 0x04 | 0x10 | 0x20) {
            e[4..8].fill(0);
        }
    }
    v
}

fn kind_name(kind: &NodeKind) -> &'static str {
    match kind {
        NodeKind::Dir(_) => "directory",
        NodeKind::File { .. } => "regular",
        NodeKind::Symlink(_) => "symlink",
        NodeKind::CharDevice { .. } => "character special",
        NodeKind::BlockDevice { .. } => "block special",
        NodeKind::Fifo => "FIFO",
        NodeKind::Socket => "socket",
    }
}

fn read_source(source: &FileSource, size: u64) -> Vec<u8> {
    let mut out = Vec::new();
    content::open_source(source, size)
        .unwrap()
        .read_to_end(&mut out)
        .unwrap();
    out
}

/// Reads the image back with debugfs and compares it with the tree: names, types, contents,
/// symlink targets, modes, owners, times, link counts, hard links, devices and xattrs.
/// Files larger than `max_content` are compared by size only (their data is checked apart).
pub fn compare(image: &Path, tree: &Tree, timestamp: i64, work: &Path, max_content: u64) {
    let dump = work.join("rdump");
    let _ = fs::remove_dir_all(&dump);
    fs::create_dir_all(&dump).unwrap();
    let walk = tree.walk();
    let small_tree = walk.iter().all(|(_, id)| {
        tree.file_source(*id)
            .is_none_or(|(_, size)| size <= max_content)
    });
    if small_tree {
        debugfs(image, &format!("rdump / {}", dump.display()));
    }
    let counts = tree.link_counts();
    let mut commands = Vec::new();
    for (path, _) in &walk {
        commands.push(format!("stat {}", quote(path)));
    }
    let sections = debugfs_batch(image, work, &commands);
    let mut inode_of: BTreeMap<usize, u64> = BTreeMap::new();
    let mut ea_commands = Vec::new();
    let mut ea_expect = Vec::new();
    for ((path, id), text) in walk.iter().zip(&sections) {
        assert!(
            text.contains("Inode:"),
            "{path}: not found in the image: {text}"
        );
        let st = parse_stat(text);
        let node = tree.node(*id);
        let is_lpf = path == "/lost+found";
        assert_eq!(st.kind, kind_name(&node.kind), "{path}: type");
        assert_eq!(st.mode, node.meta.mode, "{path}: mode");
        assert_eq!(
            (st.uid, st.gid),
            (node.meta.uid, node.meta.gid),
            "{path}: owner"
        );
        // The root and lost+found get an extra link each from lost+found's '..'.
        let extra_link = if *id == ROOT && tree.lookup("/lost+found").is_none() {
            1
        } else {
            0
        };
        let want_links = counts[*id] + extra_link;
        let want_links = if matches!(node.kind, NodeKind::Dir(_)) && want_links >= 65000 {
            1
        } else {
            want_links
        };
        assert_eq!(st.links, want_links, "{path}: link count");
        assert_eq!(
            st.times.get("mtime"),
            Some(&node.meta.mtime),
            "{path}: mtime"
        );
        for key in ["atime", "ctime", "crtime"] {
            if let Some(t) = st.times.get(key) {
                assert_eq!(*t, timestamp, "{path}: {key}");
            }
        }
        if let Some(&ino) = inode_of.get(id) {
            assert_eq!(ino, st.inode, "{path}: hard link to another inode");
        }
        inode_of.insert(*id, st.inode);
        let mut names: Vec<String> = node
            .meta
            .xattrs
            .iter()
            .map(|(n, _)| String::from_utf8_lossy(n).into_owned())
            .collect();
        names.sort();
        let mut got = st.xattr_names.clone();
        got.sort();
        assert_eq!(got, names, "{path}: xattr names");
        for (i, (name, value)) in node.meta.xattrs.iter().enumerate() {
            let out = work.join(format!("ea-{}-{i}", st.inode));
            ea_commands.push(format!(
                "ea_get -f {} {} {}",
                quote(&out.display().to_string()),
                quote(path),
                quote(&String::from_utf8_lossy(name))
            ));
            let value = if name.starts_with(b"system.posix_acl_") {
                acl_without_unused_ids(value)
            } else {
                value.clone()
            };
            ea_expect.push((path.clone(), out, value));
        }
        let host = dump.join(path.trim_start_matches('/'));
        match &node.kind {
            NodeKind::File { size, source } => {
                assert_eq!(st.size, *size, "{path}: size");
                if small_tree {
                    let got = fs::read(&host).unwrap_or_else(|e| panic!("{path}: {e}"));
                    assert!(got == read_source(source, *size), "{path}: contents differ");
                }
            }
            NodeKind::Symlink(target) => {
                assert_eq!(st.size, target.len() as u64, "{path}: symlink size");
                if small_tree {
                    let got = fs::read_link(&host).unwrap();
                    assert_eq!(got.as_os_str().as_bytes(), &target[..], "{path}: symlink");
                }
            }
            NodeKind::CharDevice { major, minor } | NodeKind::BlockDevice { major, minor } => {
                assert_eq!(st.device, Some((*major, *minor)), "{path}: device number");
            }
            NodeKind::Dir(entries) if small_tree && *id != ROOT && !is_lpf => {
                {
                    let mut names: Vec<Vec<u8>> = fs::read_dir(&host)
                        .unwrap()
                        .map(|e| e.unwrap().file_name().as_bytes().to_vec())
                        .collect();
                    names.sort();
                    // rdump leaves out device nodes, FIFOs and sockets.
                    let want: Vec<Vec<u8>> = entries
                        .iter()
                        .filter(|(_, c)| {
                            matches!(
                                tree.node(*c).kind,
                                NodeKind::Dir(_) | NodeKind::File { .. } | NodeKind::Symlink(_)
                            )
                        })
                        .map(|(n, _)| n.clone())
                        .collect();
                    assert_eq!(names, want, "{path}: entries");
                }
            }
            _ => {}
        }
    }
    if !ea_commands.is_empty() {
        debugfs_batch(image, work, &ea_commands);
        for (path, out, value) in ea_expect {
            let got = fs::read(&out).unwrap_or_else(|e| panic!("{path}: ea_get: {e}"));
            assert_eq!(got, value, "{path}: xattr value");
        }
    }
    // Nothing but lost+found beyond the tree at the top level.
    let top = debugfs(image, "ls -p /");
    let mut names: Vec<String> = top
        .lines()
        .filter_map(|l| l.split('/').nth(5).map(str::to_string))
        .filter(|n| !n.is_empty() && n != "." && n != ".." && n != "lost+found")
        .collect();
    names.sort();
    let mut want: Vec<String> = tree
        .children(ROOT)
        .iter()
        .map(|(n, _)| String::from_utf8_lossy(n).into_owned())
        .filter(|n| n != "lost+found")
        .collect();
    want.sort();
    assert_eq!(names, want, "top-level entries");
}

/// A small xorshift PRNG: test trees are generated from a seed, reproducibly.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

pub fn meta(rng: &mut Rng, mode: u32) -> Meta {
    let mut m = Meta::new(mode);
    m.mtime = TS - rng.below(100_000_000) as i64;
    if rng.chance(20) {
        m.uid = rng.below(70_000) as u32;
        m.gid = rng.below(70_000) as u32;
    }
    m
}

fn name(rng: &mut Rng, taken: &[(Vec<u8>, usize)]) -> Vec<u8> {
    loop {
        let n = match rng.below(10) {
            0 => {
                // long names, up to the 255-byte limit
                let len = 200 + rng.below(56) as usize;
                (0..len)
                    .map(|i| b'a' + ((i as u64 + rng.below(3)) % 26) as u8)
                    .collect()
            }
            1 => format!("ünïcødé-{}-日本語", rng.below(1000)).into_bytes(),
            2 => format!("with space \"q\" {}", rng.below(1000)).into_bytes(),
            _ => format!("n{}", rng.below(100_000)).into_bytes(),
        };
        if !taken.iter().any(|(t, _)| *t == n) && n != b"lost+found" {
            return n;
        }
    }
}

fn xattrs(rng: &mut Rng, allow_user: bool) -> content::Xattrs {
    let mut out = Vec::new();
    if rng.chance(30) {
        out.push((
            b"security.selinux".to_vec(),
            b"system_u:object_r:usr_t:s0\0".to_vec(),
        ));
    }
    if rng.chance(15) {
        let mut cap = vec![0u8; 20];
        cap[0] = 1;
        cap[3] = 2;
        cap[4] = rng.next() as u8;
        out.push((b"security.capability".to_vec(), cap));
    }
    if allow_user && rng.chance(10) {
        // A POSIX ACL (VFS xattr format, version 2): owner, a named user, group, mask, other.
        let mut acl = 2u32.to_le_bytes().to_vec();
        let uid = rng.below(5000) as u32;
        for (tag, perm, id) in [
            (1u16, 6u16, u32::MAX),
            (2, 4, uid),
            (4, 4, u32::MAX),
            (0x10, 4, u32::MAX),
            (0x20, 0, u32::MAX),
        ] {
            acl.extend_from_slice(&tag.to_le_bytes());
            acl.extend_from_slice(&perm.to_le_bytes());
            acl.extend_from_slice(&id.to_le_bytes());
        }
        out.push((b"system.posix_acl_access".to_vec(), acl));
    }
    if allow_user && rng.chance(20) {
        for i in 0..rng.below(4) {
            // One value large enough to need a block (which holds ~1000 bytes at 1 KiB).
            let len = match rng.below(4) {
                0 => 0,
                1 if i == 0 => 300 + rng.below(500) as usize,
                _ => rng.below(40) as usize,
            };
            out.push((format!("user.attr{i}").into_bytes(), rng.bytes(len)));
        }
    }
    out.sort();
    out
}

/// Generates a tree exercising every node type, deep and wide directories, odd names, holes
/// (host files under `host_dir`), hard links across directories and xattrs.
pub fn random_tree(seed: u64, nodes: usize, host_dir: &Path) -> Tree {
    let mut rng = Rng::new(seed);
    let mut tree = Tree::new();
    tree.node_mut(ROOT).meta.mtime = TS - 5;
    let mut dirs = vec![ROOT];
    let mut files = Vec::new();
    let mut host_seq = 0;
    for _ in 0..nodes {
        // Deep chains come from picking the newest directory often.
        let parent = if rng.chance(30) {
            *dirs.last().unwrap()
        } else {
            dirs[rng.below(dirs.len() as u64) as usize]
        };
        let taken = tree.children(parent).to_vec();
        let name = name(&mut rng, &taken);
        let roll = rng.below(100);
        let node = if roll < 20 {
            Node {
                meta: {
                    let mode = [0o755, 0o700, 0o1777, 0o555][rng.below(4) as usize];
                    meta(&mut rng, mode)
                },
                kind: NodeKind::Dir(Vec::new()),
            }
        } else if roll < 65 {
            let size = match rng.below(6) {
                0 => 0,
                1 => rng.below(100),
                2 => rng.below(5000),
                3 => 4096 * (1 + rng.below(4)),
                _ => rng.below(70_000),
            };
            Node {
                meta: {
                    let mode = [0o644, 0o755, 0o4755, 0o600, 0o000][rng.below(5) as usize];
                    meta(&mut rng, mode)
                },
                kind: NodeKind::File {
                    size,
                    source: FileSource::Bytes(Arc::new(rng.bytes(size as usize))),
                },
            }
        } else if roll < 70 {
            // A host file with holes.
            host_seq += 1;
            let path = host_dir.join(format!("sparse{seed}-{host_seq}"));
            let f = File::create(&path).unwrap();
            let size = 1_000_000 + rng.below(3_000_000);
            use std::os::unix::fs::FileExt;
            for _ in 0..1 + rng.below(3) {
                let at = rng.below(size - 9000);
                let len = 1 + rng.below(9000) as usize;
                f.write_all_at(&rng.bytes(len), at).unwrap();
            }
            f.set_len(size).unwrap();
            Node {
                meta: meta(&mut rng, 0o644),
                kind: NodeKind::File {
                    size,
                    source: FileSource::Host(path),
                },
            }
        } else if roll < 82 {
            let len = if rng.chance(50) {
                1 + rng.below(59)
            } else {
                60 + rng.below(900)
            };
            let target: Vec<u8> = (0..len)
                .map(|i| b"abc/def.-_"[(i + rng.below(3)) as usize % 10])
                .collect();
            Node {
                meta: meta(&mut rng, 0o777),
                kind: NodeKind::Symlink(target),
            }
        } else if roll < 86 {
            Node {
                meta: meta(&mut rng, 0o660),
                kind: if rng.chance(50) {
                    NodeKind::CharDevice {
                        major: rng.below(300) as u32,
                        minor: rng.below(70_000) as u32,
                    }
                } else {
                    NodeKind::BlockDevice {
                        major: rng.below(20) as u32,
                        minor: rng.below(200) as u32,
                    }
                },
            }
        } else if roll < 89 {
            Node {
                meta: meta(&mut rng, 0o644),
                kind: if rng.chance(50) {
                    NodeKind::Fifo
                } else {
                    NodeKind::Socket
                },
            }
        } else if !files.is_empty() {
            // A hard link to an existing file, possibly in another directory.
            let target = files[rng.below(files.len() as u64) as usize];
            tree.link(parent, &name, target).unwrap();
            continue;
        } else {
            continue;
        };
        let is_dir = matches!(node.kind, NodeKind::Dir(_));
        let is_file = matches!(node.kind, NodeKind::File { .. });
        let allow_user = is_dir || is_file;
        let mut node = node;
        node.meta.xattrs = xattrs(&mut rng, allow_user);
        let id = tree.add_node(node);
        tree.link(parent, &name, id).unwrap();
        if is_dir {
            dirs.push(id);
        } else if is_file {
            files.push(id);
        }
    }
    tree
}

/// A host file's allocated bytes (to check sparseness).
pub fn allocated(path: &Path) -> u64 {
    fs::metadata(path).unwrap().blocks() * 512
}
