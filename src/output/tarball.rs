//! The `tarball` and `wsl2` image types: a gzip-compressed tar of the root tree, reproducible
//! (sorted names, the tree's times and owners — times clamped to SOURCE_DATE_EPOCH when the
//! tree was read — and a gzip header without name or time, as `gzip -9n`; see [`GZIP_LEVEL`]).
//!
//! [`write_tree`] is also the layer writer of the docker output.

mod pax;
mod pgzip;

pub(crate) use pax::{Entry, Kind, TarWriter};
pub(crate) use pgzip::ParGzWriter;

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, Read, Write};

use crate::content::{self, NodeId, NodeKind, Tree, ROOT};
use crate::context::{NoProgress, Progress};
use crate::output::error::OutputError;

/// The gzip level of the tarball, wsl2 and docker outputs (libdeflate's scale). Not Guix's 9:
/// on a 1 GiB tree (57,000 entries) zlib's level 9 took 56 s against 33.5 s for level 6 on one
/// core, for a 0.3 % smaller file. The compressor is libdeflate (see [`ParGzWriter`]), whose
/// output depends on its version alone (pinned by Cargo.lock), not on the CPU (zlib-rs is as
/// fast but its maintainers do not promise the same bytes on every platform).
pub(crate) const GZIP_LEVEL: i32 = 6;

/// Parameters of [`write_tarball`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TarParams {
    /// Check that the tree has what WSL needs to start (`/bin/sh`, `/bin/mount`).
    pub wsl2: bool,
}

/// Writes `tree` as a `.tar.gz` into `out`, streaming file data (never held in memory).
///
/// Sockets are left out (tar cannot hold them; GNU tar skips them too). Hard links inside
/// the tree become tar hard links to the first path (in sorted order) of the same node.
pub fn write_tarball(out: &File, tree: &Tree, params: &TarParams) -> Result<(), OutputError> {
    write_tarball_with(out, tree, params, &NoProgress)
}

/// [`write_tarball`], reporting the file data it archives to `progress`.
pub fn write_tarball_with(
    out: &File,
    tree: &Tree,
    params: &TarParams,
    progress: &dyn Progress,
) -> Result<(), OutputError> {
    let format = if params.wsl2 { "wsl2" } else { "tarball" };
    if params.wsl2 {
        check_wsl2(tree)?;
    }
    let write_err = |source| OutputError::Write { format, source };
    let buffered = BufWriter::with_capacity(1 << 20, out);
    let gz = ParGzWriter::new(buffered, GZIP_LEVEL).map_err(write_err)?;
    let mut tar = TarWriter::new(gz);
    write_tree(
        &mut tar,
        tree,
        &TreeOptions { dot_root: true },
        format,
        progress,
    )?;
    let gz = tar.finish().map_err(write_err)?;
    let mut buffered = gz.finish().map_err(write_err)?;
    buffered.flush().map_err(write_err)?;
    Ok(())
}

/// How [`write_tree`] names and dates members.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TreeOptions {
    /// Name members `./`, `./etc/`, `./etc/passwd` (as `tar -C root .`); otherwise the root
    /// is left out and names are `etc/`, `etc/passwd` (as in docker layers).
    pub dot_root: bool,
}

/// Appends every reachable entry of `tree` to `tar`, depth-first in byte order of names;
/// `progress` gets each file's data (a hard link's once, as [`Tree::file_bytes`] counts it).
pub(crate) fn write_tree<W: Write>(
    tar: &mut TarWriter<W>,
    tree: &Tree,
    opts: &TreeOptions,
    format: &'static str,
    progress: &dyn Progress,
) -> Result<(), OutputError> {
    progress.add_total(tree.file_bytes());
    let counts = tree.link_counts();
    let mut first_path: HashMap<NodeId, Vec<u8>> = HashMap::new();
    let mut seen_dir = vec![false; tree.len()];
    let root_path = if opts.dot_root {
        b".".to_vec()
    } else {
        Vec::new()
    };
    let mut stack: Vec<(Vec<u8>, NodeId)> = vec![(root_path, ROOT)];
    while let Some((path, id)) = stack.pop() {
        let node = tree.node(id);
        let shown = || String::from_utf8_lossy(&path).into_owned();
        if let NodeKind::Dir(entries) = &node.kind {
            if std::mem::replace(&mut seen_dir[id], true) {
                return Err(OutputError::Content {
                    format,
                    message: format!(
                        "directory {} is linked more than once in the content tree",
                        shown()
                    ),
                });
            }
            for (name, child) in entries.iter().rev() {
                let mut child_path = path.clone();
                if !child_path.is_empty() {
                    child_path.push(b'/');
                }
                child_path.extend_from_slice(name);
                stack.push((child_path, *child));
            }
            if path.is_empty() {
                continue; // docker layers carry no entry for the root itself
            }
        }
        let mut entry = Entry {
            path: &path,
            kind: Kind::Fifo,
            mode: node.meta.mode,
            uid: node.meta.uid,
            gid: node.meta.gid,
            mtime: node.meta.mtime,
            xattrs: &node.meta.xattrs,
        };
        let dir_path;
        let earlier = first_path.get(&id).cloned();
        let mut data: Option<SourceReader> = None;
        entry.kind = match (&node.kind, &earlier) {
            (NodeKind::Dir(_), _) => {
                dir_path = [path.as_slice(), b"/"].concat();
                entry.path = &dir_path;
                Kind::Dir
            }
            (NodeKind::Socket, _) => continue,
            (_, Some(target)) => Kind::HardLink(target),
            (NodeKind::File { size, source }, None) => {
                let reader =
                    content::open_source(source, *size).map_err(|source| OutputError::Read {
                        path: shown(),
                        source,
                    })?;
                data = Some(SourceReader {
                    inner: reader,
                    failed: false,
                    progress,
                });
                Kind::File { size: *size }
            }
            (NodeKind::Symlink(target), None) => Kind::Symlink(target),
            (NodeKind::CharDevice { major, minor }, None) => Kind::CharDevice {
                major: *major,
                minor: *minor,
            },
            (NodeKind::BlockDevice { major, minor }, None) => Kind::BlockDevice {
                major: *major,
                minor: *minor,
            },
            (NodeKind::Fifo, None) => Kind::Fifo,
        };
        if earlier.is_some() {
            // A hard link repeats no metadata: it is the earlier member's.
            entry.xattrs = &[];
        }
        let result = tar.append(&entry, data.as_mut().map(|r| r as &mut dyn Read));
        if let Err(source) = result {
            let from_source =
                data.is_some_and(|r| r.failed) || source.kind() == io::ErrorKind::UnexpectedEof;
            return Err(if from_source {
                OutputError::Read {
                    path: shown(),
                    source,
                }
            } else {
                OutputError::Write { format, source }
            });
        }
        if counts[id] > 1 && earlier.is_none() && !matches!(node.kind, NodeKind::Dir(_)) {
            first_path.insert(id, path.clone());
        }
    }
    Ok(())
}

/// A file's data, remembering whether an error came from reading it (rather than from
/// writing the archive), so the message names the right culprit.
struct SourceReader<'p> {
    inner: Box<dyn Read + Send>,
    failed: bool,
    /// Told each piece read (the tar writer reads a file's size, no more).
    progress: &'p dyn Progress,
}

impl Read for SourceReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf).inspect_err(|_| self.failed = true)?;
        self.progress.advance(n as u64);
        Ok(n)
    }
}

/// WSL starts a distribution by running `/bin/sh` and mounts with `/bin/mount`. Guix's WSL
/// operating system provides both as special files (symlinks into its store); ingot does not
/// build packages, so the root tree must already have them.
fn check_wsl2(tree: &Tree) -> Result<(), OutputError> {
    for (path, what) in [("/bin/sh", "a shell"), ("/bin/mount", "mount")] {
        let problem = match resolve(tree, path.as_bytes()) {
            Ok(id) => match &tree.node(id).kind {
                NodeKind::File { .. } if tree.node(id).meta.mode & 0o111 != 0 => continue,
                NodeKind::File { .. } => "is not executable".to_string(),
                _ => "is not a regular file".to_string(),
            },
            Err(e) => e,
        };
        return Err(OutputError::Content {
            format: "wsl2",
            message: format!(
                "{path} {problem}; WSL needs {what} there: add it to the root tree \
                 (a file or a symlink to one, as Guix's WSL system adds /bin/sh and /bin/mount)"
            ),
        });
    }
    Ok(())
}

/// Finds the node at `path`, following symlinks inside the tree (absolute targets are
/// relative to the tree's root), as the running system would.
fn resolve(tree: &Tree, path: &[u8]) -> Result<NodeId, String> {
    const MAX_HOPS: usize = 40; // Linux's limit
    let split = |p: &[u8]| -> Vec<Vec<u8>> {
        p.split(|b| *b == b'/')
            .filter(|c| !c.is_empty() && *c != b".")
            .map(<[u8]>::to_vec)
            .collect()
    };
    let mut todo = split(path);
    todo.reverse(); // a stack: next component last
    let mut ancestors = vec![ROOT];
    let mut hops = 0;
    while let Some(name) = todo.pop() {
        let dir = *ancestors.last().unwrap_or(&ROOT);
        if name == b".." {
            if ancestors.len() > 1 {
                ancestors.pop();
            }
            continue;
        }
        if !matches!(tree.node(dir).kind, NodeKind::Dir(_)) {
            return Err("has a path component that is not a directory".into());
        }
        let Some(child) = tree.lookup_in(dir, &name) else {
            return Err("does not exist".into());
        };
        if let NodeKind::Symlink(target) = &tree.node(child).kind {
            hops += 1;
            if hops > MAX_HOPS {
                return Err("is a symlink loop".into());
            }
            if target.starts_with(b"/") {
                ancestors.truncate(1);
            }
            let mut parts = split(target);
            parts.reverse();
            todo.extend(parts);
        } else {
            ancestors.push(child);
        }
    }
    ancestors
        .last()
        .copied()
        .ok_or_else(|| "does not exist".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Meta, Node};

    fn tree_with(paths: &[(&str, NodeKind)]) -> Tree {
        let mut t = Tree::new();
        for (p, kind) in paths {
            t.insert(
                p,
                Node {
                    meta: Meta::new(0o755),
                    kind: kind.clone(),
                },
            )
            .unwrap();
        }
        t
    }

    fn file() -> NodeKind {
        NodeKind::File {
            size: 0,
            source: content::FileSource::Bytes(Default::default()),
        }
    }

    #[test]
    fn resolve_follows_relative_and_absolute_links() {
        let t = tree_with(&[
            ("/usr/bin/busybox", file()),
            ("/bin/sh", NodeKind::Symlink(b"../usr/bin/busybox".to_vec())),
            ("/bin/mount", NodeKind::Symlink(b"/bin/sh".to_vec())),
            ("/loop", NodeKind::Symlink(b"/loop".to_vec())),
        ]);
        let bb = t.lookup("/usr/bin/busybox").unwrap();
        assert_eq!(resolve(&t, b"/bin/sh"), Ok(bb));
        assert_eq!(resolve(&t, b"/bin/mount"), Ok(bb));
        assert!(resolve(&t, b"/loop").unwrap_err().contains("loop"));
        assert!(resolve(&t, b"/nope")
            .unwrap_err()
            .contains("does not exist"));
        assert!(check_wsl2(&t).is_ok());
    }

    #[test]
    fn wsl2_refuses_missing_or_dangling_shell() {
        let t = tree_with(&[("/bin/mount", file())]);
        let msg = check_wsl2(&t).unwrap_err().to_string();
        assert!(msg.contains("/bin/sh does not exist"), "{msg}");
        let t = tree_with(&[
            (
                "/bin/sh",
                NodeKind::Symlink(b"/gnu/store/x-bash/bin/bash".to_vec()),
            ),
            ("/bin/mount", file()),
        ]);
        let msg = check_wsl2(&t).unwrap_err().to_string();
        assert!(msg.contains("/bin/sh does not exist"), "{msg}");
        let mut t = tree_with(&[("/bin/sh", file()), ("/bin/mount", file())]);
        let m = t.lookup("/bin/mount").unwrap();
        t.node_mut(m).meta.mode = 0o644;
        let msg = check_wsl2(&t).unwrap_err().to_string();
        assert!(msg.contains("/bin/mount is not executable"), "{msg}");
    }

    #[test]
    fn directory_linked_twice_is_refused() {
        let mut t = Tree::new();
        let d = t.mkdir_p("/a").unwrap();
        t.link(ROOT, b"b", d).unwrap();
        let mut tar = TarWriter::new(io::sink());
        let opts = TreeOptions { dot_root: true };
        let err = write_tree(&mut tar, &t, &opts, "tarball", &NoProgress).unwrap_err();
        assert!(err.to_string().contains("linked more than once"), "{err}");
    }
}
