//! Loading a content tree from a host directory (lstat only; file data is read later).

use std::collections::HashMap;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use std::sync::Arc;

use super::{
    ContentError, FileSource, HostFile, LoadPolicy, LoadReport, Meta, Node, NodeId, NodeKind,
    OwnerRule, Tree, Xattrs, ROOT,
};

fn major(rdev: u64) -> u32 {
    libc::major(rdev as libc::dev_t)
}
fn minor(rdev: u64) -> u32 {
    libc::minor(rdev as libc::dev_t)
}

/// Reads the extended attributes of `path` (not following symlinks), sorted by name.
/// A file system without xattr support yields none.
pub fn read_xattrs(path: &Path) -> Result<Xattrs, ContentError> {
    // xattr's list/get are the l* calls: a symlink's own attributes.
    let Ok(names) = xattr::list(path) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for name in names {
        // Gone meanwhile, or not readable by us (e.g. trusted.*): skipped.
        if let Ok(Some(value)) = xattr::get(path, &name) {
            out.push((name.as_bytes().to_vec(), value));
        }
    }
    out.sort();
    Ok(out)
}

fn meta_of(
    md: &fs::Metadata,
    path: &Path,
    policy: LoadPolicy,
    rule: OwnerRule,
    report: &mut LoadReport,
) -> Result<Meta, ContentError> {
    let mut mtime = md.mtime();
    if let Some(max) = policy.clamp_mtime {
        mtime = mtime.min(max);
    }
    let (uid, gid) = rule.apply(md.uid(), md.gid());
    if (uid, gid) != (md.uid(), md.gid()) {
        report.owners_rewritten += 1;
    }
    Ok(Meta {
        mode: md.mode() & 0o7777,
        uid,
        gid,
        mtime,
        xattrs: read_xattrs(path)?,
    })
}

/// Loads the directory `root` into a tree. Hard links inside it become shared nodes.
pub fn load_dir(root: &Path, policy: LoadPolicy) -> Result<Tree, ContentError> {
    load_dir_report(root, policy).map(|(t, _)| t)
}

/// [`load_dir`], saying how many owners the policy rewrote.
pub fn load_dir_report(
    root: &Path,
    policy: LoadPolicy,
) -> Result<(Tree, LoadReport), ContentError> {
    let rule = policy.owners.rule(true);
    let mut report = LoadReport::default();
    let md = fs::symlink_metadata(root).map_err(|e| ContentError::io(root, e))?;
    if !md.is_dir() {
        return Err(ContentError::Invalid {
            path: root.display().to_string(),
            reason: "not a directory".into(),
        });
    }
    let mut tree = Tree::new_at(policy.clamp_mtime.unwrap_or(1));
    tree.nodes[ROOT].meta = meta_of(&md, root, policy, rule, &mut report)?;
    let mut by_inode: HashMap<(u64, u64), NodeId> = HashMap::new();
    // Every directory once: a second sight (a bind mount of an ancestor) would loop forever.
    let mut dirs_seen: HashMap<(u64, u64), std::path::PathBuf> = HashMap::new();
    dirs_seen.insert((md.dev(), md.ino()), root.to_path_buf());
    let mut stack: Vec<(std::path::PathBuf, NodeId)> = vec![(root.to_path_buf(), ROOT)];
    while let Some((dir_path, dir_id)) = stack.pop() {
        let mut entries: Vec<_> = fs::read_dir(&dir_path)
            .map_err(|e| ContentError::io(&dir_path, e))?
            .collect::<Result<_, _>>()
            .map_err(|e| ContentError::io(&dir_path, e))?;
        entries.sort_by_key(|e| e.file_name());
        let mut children = Vec::with_capacity(entries.len());
        for entry in entries {
            let path = entry.path();
            let md = fs::symlink_metadata(&path).map_err(|e| ContentError::io(&path, e))?;
            let ft = md.file_type();
            use std::os::unix::fs::FileTypeExt;
            let key = (md.dev(), md.ino());
            if !ft.is_dir() && md.nlink() > 1 {
                if let Some(&existing) = by_inode.get(&key) {
                    children.push((entry.file_name().as_bytes().to_vec(), existing));
                    continue;
                }
            }
            if ft.is_dir() {
                if let Some(first) = dirs_seen.insert(key, path.clone()) {
                    return Err(ContentError::Invalid {
                        path: path.display().to_string(),
                        reason: format!(
                            "the same directory as {} (a bind mount or hard-link loop);                              a tree must be a tree",
                            first.display()
                        ),
                    });
                }
            }
            let kind = if ft.is_dir() {
                NodeKind::Dir(Vec::new())
            } else if ft.is_file() {
                NodeKind::File {
                    size: md.len(),
                    source: FileSource::Checked(Arc::new(HostFile::walked(path.clone(), &md))),
                }
            } else if ft.is_symlink() {
                let target = fs::read_link(&path).map_err(|e| ContentError::io(&path, e))?;
                NodeKind::Symlink(target.as_os_str().as_bytes().to_vec())
            } else if ft.is_char_device() {
                NodeKind::CharDevice {
                    major: major(md.rdev()),
                    minor: minor(md.rdev()),
                }
            } else if ft.is_block_device() {
                NodeKind::BlockDevice {
                    major: major(md.rdev()),
                    minor: minor(md.rdev()),
                }
            } else if ft.is_fifo() {
                NodeKind::Fifo
            } else {
                NodeKind::Socket
            };
            let id = tree.add_node(Node {
                meta: meta_of(&md, &path, policy, rule, &mut report)?,
                kind,
            });
            if ft.is_dir() {
                stack.push((path, id));
            } else if md.nlink() > 1 {
                by_inode.insert(key, id);
            }
            children.push((entry.file_name().as_bytes().to_vec(), id));
        }
        // read_dir order was sorted by OsString, which is byte order on Unix.
        tree.nodes[dir_id].kind = NodeKind::Dir(children);
    }
    pause_for_test();
    Ok((tree, report))
}

/// For the end-to-end test that swaps a file between the walk and the write: when
/// INGOT_TEST_PAUSE_AFTER_WALK names a FIFO, wait here (once) for one byte from it. Only a FIFO is
/// honoured, so the variable cannot make ingot read a file.
fn pause_for_test() {
    static DONE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    let Some(path) = std::env::var_os("INGOT_TEST_PAUSE_AFTER_WALK") else {
        return;
    };
    if DONE.swap(true, std::sync::atomic::Ordering::SeqCst) {
        return; // once per process: the test pauses the first walk only
    }
    use std::os::unix::fs::FileTypeExt;
    let is_fifo = fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_fifo());
    if is_fifo {
        if let Ok(mut f) = fs::File::open(&path) {
            let mut b = [0u8; 1];
            let _ = std::io::Read::read(&mut f, &mut b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::{symlink, PermissionsExt};

    #[test]
    fn loads_files_links_and_modes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("etc/sub")).unwrap();
        fs::write(root.join("etc/a"), b"hello").unwrap();
        fs::set_permissions(root.join("etc/a"), fs::Permissions::from_mode(0o4755)).unwrap();
        fs::hard_link(root.join("etc/a"), root.join("etc/sub/b")).unwrap();
        symlink("a", root.join("etc/link")).unwrap();
        let tree = load_dir(root, LoadPolicy::default()).unwrap();
        let a = tree.lookup("/etc/a").unwrap();
        assert_eq!(tree.lookup("/etc/sub/b"), Some(a));
        assert_eq!(tree.node(a).meta.mode, 0o4755);
        // Made by this process: its own uid maps to 0 (or is 0, as root).
        assert_eq!(tree.node(a).meta.uid, 0);
        let l = tree.lookup("/etc/link").unwrap();
        assert_eq!(tree.node(l).kind, NodeKind::Symlink(b"a".to_vec()));
        assert_eq!(tree.link_counts()[a], 2);
    }
}
