//! What the tree becomes, before any block is placed: inode numbers and, per inode, a compact
//! record of its data blocks and attribute block (inode fields and directory blocks are made
//! again from the tree when written, see [`super::describe`]). Depends on the block size and
//! format options, not on the file system size.

use std::borrow::Cow;
use std::collections::HashMap;

use super::describe::Body;
use super::dir::{self, DirFormat};
use super::geometry::FIRST_INO;
use super::hash::csum_seed;
use super::inode;
use super::options::{
    Features, COMPAT_DIR_INDEX, COMPAT_EXT_ATTR, INCOMPAT_EXTENTS, INCOMPAT_FILETYPE,
    INCOMPAT_LARGEDIR, RO_COMPAT_METADATA_CSUM,
};
use super::{ExtError, Resolved};
use crate::content::{self, FileSource, NodeId, NodeKind, Tree, ROOT};
use std::os::unix::fs::MetadataExt;

pub const ROOT_INO: u32 = 2;
pub const JOURNAL_INO: u32 = 8;
pub const LPF_INO: u32 = 11;
pub const LINK_MAX: u32 = 65000;

pub fn content_err(path: &str, reason: impl Into<String>) -> ExtError {
    ExtError::Content {
        path: path.to_string(),
        reason: reason.into(),
    }
}

pub fn file_type(kind: &NodeKind) -> (u8, u16) {
    match kind {
        NodeKind::Dir(_) => (dir::FT_DIR, inode::S_IFDIR),
        NodeKind::File { .. } => (dir::FT_REG, inode::S_IFREG),
        NodeKind::Symlink(_) => (dir::FT_SYMLINK, inode::S_IFLNK),
        NodeKind::CharDevice { .. } => (dir::FT_CHR, inode::S_IFCHR),
        NodeKind::BlockDevice { .. } => (dir::FT_BLK, inode::S_IFBLK),
        NodeKind::Fifo => (dir::FT_FIFO, inode::S_IFIFO),
        NodeKind::Socket => (dir::FT_SOCK, inode::S_IFSOCK),
    }
}

/// Merges byte ranges into block runs.
fn block_runs(ranges: &[(u64, u64)], bs: u64) -> Vec<(u64, u64)> {
    let mut out: Vec<(u64, u64)> = Vec::new();
    for &(s, e) in ranges {
        if e <= s {
            continue;
        }
        let (a, b) = (s / bs, e.div_ceil(bs));
        match out.last_mut() {
            Some(last) if last.0 + last.1 >= a => last.1 = last.1.max(b - last.0),
            _ => out.push((a, b - a)),
        }
    }
    out
}

/// The data ranges of the regular files with holes, read once (they do not depend on the
/// block size). Files not listed are data from 0 to their size.
pub struct Ranges(pub HashMap<NodeId, Vec<(u64, u64)>>);

impl Ranges {
    pub fn scan(tree: &Tree) -> Result<Ranges, ExtError> {
        let mut map = HashMap::new();
        let counts = tree.link_counts();
        for (id, node) in tree.nodes() {
            let NodeKind::File { size, source } = &node.kind else {
                continue;
            };
            if counts[id] == 0 || *size == 0 {
                continue;
            }
            let read_err = |e| ExtError::Read {
                path: path_of(tree, id),
                source: e,
            };
            // Only a file with fewer blocks than bytes can have holes: the rest are not
            // opened here (cp and tar decide the same way).
            // A walked file carries that answer from the walk's stat (no second stat).
            match source {
                FileSource::Checked(host) if !host.may_have_holes() => continue,
                FileSource::Host(path) => {
                    let md = std::fs::symlink_metadata(path).map_err(read_err)?;
                    if md.blocks().saturating_mul(512) >= *size {
                        continue;
                    }
                }
                _ => {}
            }
            let mut r = content::data_ranges(source, *size).map_err(read_err)?;
            for range in &mut r {
                range.1 = range.1.min(*size);
            }
            if r != [(0, *size)] {
                map.insert(id, r);
            }
        }
        Ok(Ranges(map))
    }
}

/// Refuses features the native writer does not implement.
pub fn check_features(f: &Features) -> Result<(), ExtError> {
    use super::options::*;
    let supported_compat = COMPAT_HAS_JOURNAL | COMPAT_EXT_ATTR | COMPAT_DIR_INDEX;
    let supported_incompat = INCOMPAT_FILETYPE
        | INCOMPAT_EXTENTS
        | INCOMPAT_64BIT
        | INCOMPAT_FLEX_BG
        | INCOMPAT_CSUM_SEED
        | INCOMPAT_LARGEDIR;
    let supported_ro = RO_COMPAT_SPARSE_SUPER
        | RO_COMPAT_LARGE_FILE
        | RO_COMPAT_HUGE_FILE
        | RO_COMPAT_DIR_NLINK
        | RO_COMPAT_EXTRA_ISIZE
        | RO_COMPAT_METADATA_CSUM;
    let extra = Features {
        compat: f.compat & !supported_compat,
        incompat: f.incompat & !supported_incompat,
        ro_compat: f.ro_compat & !supported_ro,
    };
    if extra != Features::default() {
        return Err(ExtError::Unsupported {
            what: format!("the feature(s) {}", extra.names().join(", ")),
            backend: "native",
            hint: "remove them from file-system-options (-O ^name) or use the mke2fs backend"
                .into(),
        });
    }
    Ok(())
}

/// Blocks and attribute block of one inode, and what else later passes need (32 bytes).
#[derive(Debug, Clone, Copy)]
pub struct InodeRec {
    pub ino: u32,
    /// Tree node, or [`NO_NODE`] for the lost+found ingot adds.
    pub node: u32,
    /// A directory's parent inode.
    pub parent: u32,
    /// Index into `Inventory::sparse_runs`, or [`DENSE`]: one run over all `data_blocks`.
    pub sparse: u32,
    /// Index into `Inventory::xattr_blocks`, or [`NO_XATTR`].
    pub xattr_block: u32,
    pub data_blocks: u64,
}

pub const NO_NODE: u32 = u32::MAX;
pub const DENSE: u32 = u32::MAX;
pub const NO_XATTR: u32 = u32::MAX;

impl InodeRec {
    pub fn xattr_block(&self) -> Option<usize> {
        (self.xattr_block != NO_XATTR).then_some(self.xattr_block as usize)
    }
}

/// The tree as inodes, for one block and inode size.
pub struct Inventory {
    pub block_size: u32,
    pub inode_size: u32,
    pub features: Features,
    /// Checksum seed when metadata_csum is on.
    pub csum_seed: Option<u32>,
    /// Inodes from 2 up, in number order; reserved inodes other than the root are absent.
    pub inodes: Vec<InodeRec>,
    /// Logical block runs (start, len) of the files with holes.
    pub sparse_runs: Vec<Vec<(u64, u64)>>,
    /// Distinct attribute blocks (without refcount/checksum) and how many inodes use each.
    pub xattr_blocks: Vec<(Vec<u8>, u32)>,
    pub max_ino: u32,
    pub(super) fmt: DirFormat,
    pub(super) fs_seed: u32,
    pub(super) timestamp: i64,
    pub(super) ibody_space: usize,
    pub(super) root_owner: Option<(u32, u32)>,
    pub(super) extents: bool,
    /// Inode number by tree node (0: unreachable).
    pub(super) ino_of: Vec<u32>,
    /// Link counts by tree node, as ext counts them.
    pub(super) links: Vec<u32>,
    pub(super) lpf_node: Option<NodeId>,
}

/// A node's path, for messages (found by a walk: no path is kept per entry).
pub fn path_of(tree: &Tree, id: NodeId) -> String {
    let mut stack = vec![(String::new(), ROOT)];
    while let Some((path, at)) = stack.pop() {
        if at == id {
            return if path.is_empty() { "/".into() } else { path };
        }
        for (name, child) in tree.children(at) {
            stack.push((format!("{path}/{}", String::from_utf8_lossy(name)), *child));
        }
    }
    format!("node {id}")
}

impl Inventory {
    pub fn new(
        tree: &Tree,
        resolved: &Resolved,
        features: &Features,
        ranges: &Ranges,
        block_size: u32,
        inode_size: u32,
        timestamp: i64,
    ) -> Result<Inventory, ExtError> {
        let bs = block_size as usize;
        let csum = features.has_ro_compat(RO_COMPAT_METADATA_CSUM);
        let hs = resolved.hash_seed.0;
        let hash_seed = [0, 1, 2, 3]
            .map(|i| u32::from_le_bytes([hs[4 * i], hs[4 * i + 1], hs[4 * i + 2], hs[4 * i + 3]]));
        let fmt = DirFormat {
            block_size: bs,
            filetype: features.has_incompat(INCOMPAT_FILETYPE),
            index_seed: features.has_compat(COMPAT_DIR_INDEX).then_some(hash_seed),
            max_levels: if features.has_incompat(INCOMPAT_LARGEDIR) {
                2
            } else {
                1
            },
            csum,
        };
        let extra_isize = if inode_size > 128 { 32 } else { 0 };
        let lpf_node = tree.lookup_in(ROOT, b"lost+found");
        if let Some(id) = lpf_node {
            if !matches!(tree.node(id).kind, NodeKind::Dir(_)) {
                return Err(content_err(
                    "/lost+found",
                    "must be a directory (e2fsck needs it); remove or rename it",
                ));
            }
        }
        let (ino_of, order) = number(tree, lpf_node)?;
        let max_ino = order.last().map(|o| o.ino).unwrap_or(ROOT_INO).max(LPF_INO);
        if !features.has_compat(COMPAT_EXT_ATTR) {
            if let Some(o) = order
                .iter()
                .find(|o| !tree.node(o.node as NodeId).meta.xattrs.is_empty())
            {
                return Err(content_err(
                    &path_of(tree, o.node as NodeId),
                    "has extended attributes but the ext_attr feature is off",
                ));
            }
        }
        let mut inv = Inventory {
            block_size,
            inode_size,
            features: *features,
            csum_seed: csum.then_some(csum_seed(&resolved.uuid.0)),
            inodes: Vec::new(),
            sparse_runs: Vec::new(),
            xattr_blocks: Vec::new(),
            max_ino: max_ino.max(FIRST_INO),
            fmt,
            fs_seed: csum_seed(&resolved.uuid.0),
            timestamp,
            ibody_space: (inode_size as usize).saturating_sub(128 + extra_isize),
            root_owner: resolved.options.root_owner,
            extents: features.has_incompat(INCOMPAT_EXTENTS),
            ino_of,
            links: tree.link_counts(),
            lpf_node,
        };
        let mut xattr_index: HashMap<Vec<u8>, u32> = HashMap::new();
        let mut add = |inv: &mut Inventory, mut rec: InodeRec| -> Result<InodeRec, ExtError> {
            let d = inv.describe(tree, &rec)?;
            rec.data_blocks = match &d.body {
                Body::None => 0,
                Body::Blocks(b) => b.len() as u64,
                Body::File { node, size } => match ranges.0.get(node) {
                    Some(r) => {
                        let runs = block_runs(r, bs as u64);
                        rec.sparse = inv.sparse_runs.len() as u32;
                        let n = runs.iter().map(|r| r.1).sum();
                        inv.sparse_runs.push(runs);
                        n
                    }
                    None => size.div_ceil(bs as u64),
                },
            };
            if let Some(b) = d.xattr_block {
                let i = match xattr_index.get(&b) {
                    Some(&i) => i,
                    None => {
                        let i = inv.xattr_blocks.len() as u32;
                        xattr_index.insert(b.clone(), i);
                        inv.xattr_blocks.push((b, 0));
                        i
                    }
                };
                inv.xattr_blocks[i as usize].1 += 1;
                rec.xattr_block = i;
            }
            Ok(rec)
        };
        // Filled in place: the numbering's records become the inventory's.
        let mut order = order;
        for rec in order.iter_mut() {
            *rec = add(&mut inv, *rec)?;
        }
        inv.inodes = order;
        Ok(inv)
    }

    /// Inodes the file system must have (every number up to the highest used).
    pub fn needed_inodes(&self) -> u64 {
        u64::from(self.max_ino)
    }

    /// The logical block runs (start, len) of `rec`'s data.
    pub fn runs(&self, rec: &InodeRec) -> Cow<'_, [(u64, u64)]> {
        if rec.sparse != DENSE {
            Cow::Borrowed(&self.sparse_runs[rec.sparse as usize])
        } else if rec.data_blocks == 0 {
            Cow::Borrowed(&[])
        } else {
            Cow::Owned(vec![(0, rec.data_blocks)])
        }
    }
}

impl InodeRec {
    fn new(ino: u32, node: u32, parent: u32) -> Self {
        InodeRec {
            ino,
            node,
            parent,
            sparse: DENSE,
            xattr_block: NO_XATTR,
            data_blocks: 0,
        }
    }
}

/// Inode numbers in depth-first tree order, a directory's entries consecutive; lost+found is
/// always 11 (ingot's own when the tree has none). Returns the number of every node and the
/// inodes in number order.
fn number(tree: &Tree, lpf_node: Option<NodeId>) -> Result<(Vec<u32>, Vec<InodeRec>), ExtError> {
    let mut ino_of = vec![0u32; tree.len()];
    ino_of[ROOT] = ROOT_INO;
    let mut order = vec![InodeRec::new(ROOT_INO, ROOT as u32, ROOT_INO)];
    let mut lpf = None;
    let mut next = LPF_INO + 1;
    let mut stack = vec![ROOT];
    while let Some(id) = stack.pop() {
        let dir_ino = ino_of[id];
        let first_subdir = stack.len();
        for (name, child) in tree.children(id) {
            if name.len() > 255 || name.is_empty() || name.contains(&b'/') || name.contains(&0) {
                let parent = path_of(tree, id);
                let parent = if parent == "/" { "" } else { &parent };
                return Err(content_err(
                    &format!("{parent}/{}", String::from_utf8_lossy(name)),
                    "names must be 1 to 255 bytes without '/' or NUL",
                ));
            }
            let child = *child;
            let is_dir = matches!(tree.node(child).kind, NodeKind::Dir(_));
            if ino_of[child] != 0 {
                if is_dir {
                    return Err(content_err(
                        &path_of(tree, child),
                        "a directory is linked twice",
                    ));
                }
                continue;
            }
            let rec = if Some(child) == lpf_node && id == ROOT {
                ino_of[child] = LPF_INO;
                lpf = Some(InodeRec::new(LPF_INO, child as u32, dir_ino));
                None
            } else {
                ino_of[child] = next;
                next += 1;
                Some(InodeRec::new(next - 1, child as u32, dir_ino))
            };
            order.extend(rec);
            if is_dir {
                stack.push(child);
            }
        }
        // Subdirectories are expanded in name order.
        stack[first_subdir..].reverse();
    }
    let lpf = lpf.unwrap_or(InodeRec::new(LPF_INO, NO_NODE, ROOT_INO));
    let at = order.partition_point(|r| r.ino < LPF_INO);
    order.insert(at, lpf);
    Ok((ino_of, order))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_ranges_to_block_runs() {
        assert_eq!(block_runs(&[(0, 1)], 4096), vec![(0, 1)]);
        assert_eq!(block_runs(&[(0, 4096), (4096, 5000)], 4096), vec![(0, 2)]);
        assert_eq!(
            block_runs(&[(0, 10), (8192, 8193)], 4096),
            vec![(0, 1), (2, 1)]
        );
        assert_eq!(block_runs(&[(100, 5000), (6000, 9000)], 4096), vec![(0, 3)]);
    }
}
