//! Loading a content tree from a host directory (lstat only; file data is read later),
//! listed on several threads and assembled in one fixed order.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::fs;
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU32;
use std::sync::{Arc, Condvar, Mutex};

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

/// What the walk keeps of a stat, from std's lstat (the root) or rustix's fstatat (entries).
#[derive(Debug, Clone, Copy)]
struct Stat {
    dev: u64,
    ino: u64,
    /// st_mode: file type and permission bits.
    mode: u32,
    nlink: u64,
    uid: u32,
    gid: u32,
    rdev: u64,
    size: u64,
    blocks: u64,
    mtime: i64,
}

impl Stat {
    fn of_metadata(md: &fs::Metadata) -> Self {
        Stat {
            dev: md.dev(),
            ino: md.ino(),
            mode: md.mode(),
            nlink: md.nlink(),
            uid: md.uid(),
            gid: md.gid(),
            rdev: md.rdev(),
            size: md.size(),
            blocks: md.blocks(),
            mtime: md.mtime(),
        }
    }

    // The field types of struct stat differ by architecture: on some these casts are
    // conversions, on others no-ops.
    #[allow(clippy::unnecessary_cast)]
    fn of_rustix(st: &rustix::fs::Stat) -> Self {
        Stat {
            dev: st.st_dev as u64,
            ino: st.st_ino as u64,
            mode: st.st_mode as u32,
            nlink: st.st_nlink as u64,
            uid: st.st_uid as u32,
            gid: st.st_gid as u32,
            rdev: st.st_rdev as u64,
            size: st.st_size.max(0) as u64,
            blocks: st.st_blocks.max(0) as u64,
            mtime: st.st_mtime as i64,
        }
    }

    fn is(&self, file_type: libc::mode_t) -> bool {
        self.mode & libc::S_IFMT == file_type
    }
}

fn meta_of(
    st: &Stat,
    path: &Path,
    policy: LoadPolicy,
    rule: OwnerRule,
    report: &mut LoadReport,
) -> Result<Meta, ContentError> {
    let mut mtime = st.mtime;
    if let Some(max) = policy.clamp_mtime {
        mtime = mtime.min(max);
    }
    let (uid, gid) = rule.apply(st.uid, st.gid);
    if (uid, gid) != (st.uid, st.gid) {
        report.owners_rewritten += 1;
    }
    Ok(Meta {
        mode: st.mode & 0o7777,
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
///
/// Directories are listed on one thread per core (lstat, readlink and xattrs of every entry:
/// the walk's cost, syscall-bound on one core otherwise) in the order this thread assembles
/// them, the order of a sequential walk, so node numbers, which hard-link path is kept and
/// the first error reported do not depend on scheduling, and only listings not yet
/// assembled are held.
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
    tree.nodes[ROOT].meta = meta_of(&Stat::of_metadata(&md), root, policy, rule, &mut report)?;
    let root_key = (md.dev(), md.ino());
    let shared = Shared::new(root, root_key, policy, rule);
    let threads = listing_threads();
    lock(&shared.work).threads = threads;
    let assembled = std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| shared.run());
        }
        let assembled = assemble(root, root_key, &shared, tree, report);
        shared.stop();
        assembled
    });
    pause_for_test();
    assembled
}

/// Builds the tree from the listings, in the order a sequential walk takes.
fn assemble(
    root: &Path,
    root_key: (u64, u64),
    shared: &Shared,
    mut tree: Tree,
    mut report: LoadReport,
) -> Result<(Tree, LoadReport), ContentError> {
    let mut by_inode: HashMap<(u64, u64), NodeId> = HashMap::new();
    // Every directory once: a second sight (a bind mount of an ancestor) would loop forever.
    let mut dirs_seen: HashMap<(u64, u64), PathBuf> = HashMap::new();
    dirs_seen.insert(root_key, root.to_path_buf());
    let mut stack: Vec<(PathBuf, NodeId, u32)> = vec![(root.to_path_buf(), ROOT, 0)];
    while let Some((dir_path, dir_id, slot)) = stack.pop() {
        let listing = shared.take(slot).ok_or_else(|| ContentError::Invalid {
            path: dir_path.display().to_string(),
            reason: "the directory walk stopped before listing it".into(),
        })?;
        report.owners_rewritten += listing.owners_rewritten;
        let mut children = Vec::with_capacity(listing.entries.len());
        for entry in listing.entries {
            if entry.nlink > 1 && !matches!(entry.sub, Sub::Dir(_) | Sub::Seen) {
                if let Some(&existing) = by_inode.get(&entry.key) {
                    children.push((entry.name, existing));
                    continue;
                }
            }
            let path = || dir_path.join(std::ffi::OsStr::from_bytes(&entry.name));
            if !matches!(entry.sub, Sub::None) {
                if let Some(first) = dirs_seen.insert(entry.key, path()) {
                    return Err(ContentError::Invalid {
                        path: path().display().to_string(),
                        reason: format!(
                            "the same directory as {} (a bind mount or hard-link loop); \
                             a tree must be a tree",
                            first.display()
                        ),
                    });
                }
            }
            let id = tree.add_node(entry.node);
            match entry.sub {
                Sub::Dir(slot) => stack.push((path(), id, slot)),
                // Listed at its other sight, which comes later in this order: the error is
                // raised there, naming this one first.
                Sub::Seen => {}
                Sub::None if entry.nlink > 1 => {
                    by_inode.insert(entry.key, id);
                }
                Sub::None => {}
            }
            children.push((entry.name, id));
        }
        tree.nodes[dir_id].kind = NodeKind::Dir(children);
        if let Some(e) = listing.error {
            return Err(e);
        }
    }
    Ok((tree, report))
}

/// One directory's entries in name order, each made into its node.
#[derive(Default)]
struct Listing {
    entries: Vec<Entry>,
    owners_rewritten: usize,
    /// What stopped the listing after `entries` (a sequential walk stops there too).
    error: Option<ContentError>,
}

struct Entry {
    name: Vec<u8>,
    node: Node,
    /// (st_dev, st_ino), for hard links and directory loops.
    key: (u64, u64),
    nlink: u64,
    sub: Sub,
}

enum Sub {
    /// Not a directory.
    None,
    /// A directory, listed under this slot.
    Dir(u32),
    /// A directory another entry claimed first: not listed again.
    Seen,
}

/// Directories waiting to be listed, listings waiting to be assembled, shared by the
/// listing threads and the assembling one.
struct Work {
    /// By assembly order: the smallest key is the next directory the assembler will need,
    /// so listings are made about when they are used and few are held at once.
    queue: BinaryHeap<Reverse<(Vec<u32>, u32, PathBuf)>>,
    /// Listings being made.
    busy: usize,
    /// Listing threads still running.
    threads: usize,
    /// Set by the assembler when it stops early (an error): the threads stop too.
    stop: bool,
    done: HashMap<u32, Listing>,
}

struct Shared {
    policy: LoadPolicy,
    rule: OwnerRule,
    next_slot: AtomicU32,
    /// Directories (st_dev, st_ino) some entry will list: each is listed once.
    claimed: Mutex<HashSet<(u64, u64)>>,
    work: Mutex<Work>,
    changed: Condvar,
}

/// Listing threads besides the assembling one: the walk is syscall-bound, so one per core.
fn listing_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 4))
}

impl Shared {
    fn new(root: &Path, root_key: (u64, u64), policy: LoadPolicy, rule: OwnerRule) -> Self {
        let mut queue = BinaryHeap::new();
        queue.push(Reverse((Vec::new(), 0, root.to_path_buf())));
        Shared {
            policy,
            rule,
            next_slot: AtomicU32::new(1),
            claimed: Mutex::new(HashSet::from([root_key])),
            work: Mutex::new(Work {
                queue,
                busy: 0,
                threads: 0,
                stop: false,
                done: HashMap::new(),
            }),
            changed: Condvar::new(),
        }
    }

    /// The listing of `slot`, waiting for it; `None` when no thread is left to make it.
    fn take(&self, slot: u32) -> Option<Listing> {
        let mut w = lock(&self.work);
        loop {
            if let Some(l) = w.done.remove(&slot) {
                return Some(l);
            }
            if w.threads == 0 {
                return None;
            }
            w = self.changed.wait(w).unwrap_or_else(|p| p.into_inner());
        }
    }

    fn stop(&self) {
        lock(&self.work).stop = true;
        self.changed.notify_all();
    }

    /// A listing thread: takes directories in assembly order until none is left.
    fn run(&self) {
        // Counted out however the thread ends, so the assembler never waits for it in vain.
        struct Leaving<'a>(&'a Shared);
        impl Drop for Leaving<'_> {
            fn drop(&mut self) {
                lock(&self.0.work).threads -= 1;
                self.0.changed.notify_all();
            }
        }
        let _leaving = Leaving(self);
        let mut w = lock(&self.work);
        loop {
            if w.stop {
                return;
            }
            let Some(Reverse((key, slot, dir))) = w.queue.pop() else {
                if w.busy == 0 {
                    return;
                }
                w = self.changed.wait(w).unwrap_or_else(|p| p.into_inner());
                continue;
            };
            w.busy += 1;
            drop(w);
            let listing = self.list(&dir);
            w = lock(&self.work);
            let n = listing.entries.len();
            for (i, e) in listing.entries.iter().enumerate() {
                if let Sub::Dir(sub) = e.sub {
                    // Assembly pops a directory's subdirectories last name first.
                    let mut k = key.clone();
                    k.push((n - 1 - i) as u32);
                    let name = std::ffi::OsStr::from_bytes(&e.name);
                    w.queue.push(Reverse((k, sub, dir.join(name))));
                }
            }
            w.done.insert(slot, listing);
            w.busy -= 1;
            self.changed.notify_all();
        }
    }

    /// One directory's entries, stopping at the first that cannot be read.
    fn list(&self, dir: &Path) -> Listing {
        let mut listing = Listing::default();
        match sorted_entries(dir) {
            Err(e) => listing.error = Some(e),
            Ok((fd, names)) => {
                listing.entries.reserve_exact(names.len());
                for name in names {
                    let path = dir.join(std::ffi::OsStr::from_bytes(&name));
                    match entry_of(self, &fd, &path, name, &mut listing.owners_rewritten) {
                        Ok(entry) => listing.entries.push(entry),
                        Err(e) => {
                            listing.error = Some(e);
                            break;
                        }
                    }
                }
            }
        }
        listing
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A directory opened for listing, and its entry names in byte order. Entries are then
/// stat'ed relative to it: no walk of the whole path per entry.
fn sorted_entries(dir: &Path) -> Result<(OwnedFd, Vec<Vec<u8>>), ContentError> {
    use rustix::fs::{Mode, OFlags};
    let io = |e: rustix::io::Errno| ContentError::io(dir, e.into());
    let fd = rustix::fs::open(
        dir,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(io)?;
    let mut names = Vec::new();
    for entry in rustix::fs::Dir::read_from(&fd).map_err(io)? {
        let name = entry.map_err(io)?.file_name().to_bytes().to_vec();
        if name != b"." && name != b".." {
            names.push(name);
        }
    }
    names.sort();
    Ok((fd, names))
}

/// One entry made into its node (lstat, then readlink or xattrs as it needs).
fn entry_of(
    shared: &Shared,
    dir: &OwnedFd,
    path: &Path,
    name: Vec<u8>,
    owners_rewritten: &mut usize,
) -> Result<Entry, ContentError> {
    let io = |e: rustix::io::Errno| ContentError::io(path, e.into());
    let st = rustix::fs::statat(dir, name.as_slice(), rustix::fs::AtFlags::SYMLINK_NOFOLLOW)
        .map_err(io)?;
    let st = Stat::of_rustix(&st);
    let key = (st.dev, st.ino);
    let is_dir = st.is(libc::S_IFDIR);
    let sub = if !is_dir {
        Sub::None
    } else if lock(&shared.claimed).insert(key) {
        Sub::Dir(
            shared
                .next_slot
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        )
    } else {
        Sub::Seen
    };
    let kind = if is_dir {
        NodeKind::Dir(Vec::new())
    } else if st.is(libc::S_IFREG) {
        NodeKind::File {
            size: st.size,
            source: FileSource::Checked(Arc::new(HostFile::listed(
                path.to_path_buf(),
                (st.dev, st.ino),
                st.blocks,
                st.size,
            ))),
        }
    } else if st.is(libc::S_IFLNK) {
        let target = rustix::fs::readlinkat(dir, name.as_slice(), Vec::new()).map_err(io)?;
        NodeKind::Symlink(target.into_bytes())
    } else if st.is(libc::S_IFCHR) {
        NodeKind::CharDevice {
            major: major(st.rdev),
            minor: minor(st.rdev),
        }
    } else if st.is(libc::S_IFBLK) {
        NodeKind::BlockDevice {
            major: major(st.rdev),
            minor: minor(st.rdev),
        }
    } else if st.is(libc::S_IFIFO) {
        NodeKind::Fifo
    } else {
        NodeKind::Socket
    };
    let mut report = LoadReport::default();
    let meta = meta_of(&st, path, shared.policy, shared.rule, &mut report)?;
    *owners_rewritten += report.owners_rewritten;
    Ok(Entry {
        name,
        node: Node { meta, kind },
        key,
        nlink: st.nlink,
        sub,
    })
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

    /// The node numbering a one-thread walk gives: directories popped from a stack (last
    /// name first), each directory's entries numbered in name order, a hard link numbered
    /// at its first sight.
    fn sequential_order(root: &Path) -> Vec<PathBuf> {
        let mut order = vec![root.to_path_buf()];
        let mut seen = HashSet::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(dir) = stack.pop() {
            let mut names: Vec<_> = fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            names.sort();
            for name in names {
                let path = dir.join(name);
                let md = fs::symlink_metadata(&path).unwrap();
                if !md.is_dir() && md.nlink() > 1 && !seen.insert((md.dev(), md.ino())) {
                    continue;
                }
                order.push(path.clone());
                if md.is_dir() {
                    stack.push(path);
                }
            }
        }
        order
    }

    #[test]
    fn parallel_listing_numbers_nodes_as_a_sequential_walk() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for d in 0..40 {
            let sub = root.join(format!("d{d:02}/inner{}", d % 3));
            fs::create_dir_all(&sub).unwrap();
            for f in 0..(d % 7) {
                fs::write(sub.join(format!("f{f}")), format!("{d}/{f}")).unwrap();
            }
            // A hard link whose other name is in a directory listed earlier or later.
            if d > 0 {
                let other = root.join(format!("d{:02}/inner{}/f0", d - 1, (d - 1) % 3));
                if other.exists() {
                    fs::hard_link(&other, root.join(format!("d{d:02}/link"))).unwrap();
                }
            }
        }
        let expected = sequential_order(root);
        for _ in 0..5 {
            let tree = load_dir(root, LoadPolicy::default()).unwrap();
            assert_eq!(tree.len(), expected.len());
            for (id, path) in expected.iter().enumerate() {
                let rel = path.strip_prefix(root).unwrap();
                let at = format!("/{}", rel.display());
                let at = if rel.as_os_str().is_empty() { "/" } else { &at };
                assert_eq!(tree.lookup(at), Some(id), "{at}");
                if let NodeKind::File { source, .. } = &tree.node(id).kind {
                    let FileSource::Checked(host) = source else {
                        panic!("{at}: not a walked file");
                    };
                    // The path kept for a hard link is its first sight's.
                    assert_eq!(&host.path, path);
                }
            }
        }
    }
}
