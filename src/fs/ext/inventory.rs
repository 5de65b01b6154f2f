//! What the tree becomes, before any block is placed: inode numbers, inode fields, directory
//! blocks, symlink blocks, attribute blocks and the logical block runs of each file. Depends
//! on the block size and format options, not on the file system size.

use std::collections::HashMap;

use super::dir::{self, DirEntry, DirFormat};
use super::geometry::FIRST_INO;
use super::hash::{csum_seed, inode_seed};
use super::inode::{self, Inode};
use super::options::{
    Features, COMPAT_DIR_INDEX, COMPAT_EXT_ATTR, INCOMPAT_EXTENTS, INCOMPAT_FILETYPE,
    INCOMPAT_LARGEDIR, RO_COMPAT_DIR_NLINK, RO_COMPAT_LARGE_FILE, RO_COMPAT_METADATA_CSUM,
};
use super::xattr;
use super::{ExtError, Resolved};
use crate::content::{self, NodeId, NodeKind, Tree, ROOT};

pub const ROOT_INO: u32 = 2;
pub const JOURNAL_INO: u32 = 8;
pub const LPF_INO: u32 = 11;
const LINK_MAX: u32 = 65000;

/// Where an inode's block content comes from.
#[derive(Debug, Clone)]
pub enum Data {
    /// No blocks (fast symlinks, devices, FIFOs, sockets).
    None,
    /// Directory or long symlink blocks, built in memory.
    Blocks(Vec<Vec<u8>>),
    /// A regular file's bytes, read at write time: `node` in the tree.
    File { node: NodeId, size: u64 },
}

#[derive(Debug, Clone)]
pub struct InodePlan {
    pub ino: u32,
    pub node: Option<NodeId>,
    /// Inode fields except the block map, block count and attribute block.
    pub inode: Inode,
    pub data: Data,
    /// Logical block runs (start, len) that hold data, in order.
    pub runs: Vec<(u64, u64)>,
    /// Index into `Inventory::xattr_blocks`.
    pub xattr_block: Option<usize>,
    pub is_dir: bool,
}

impl InodePlan {
    pub fn data_blocks(&self) -> u64 {
        self.runs.iter().map(|r| r.1).sum()
    }
}

/// The tree as inodes, for one block size.
pub struct Inventory {
    pub block_size: u32,
    pub inode_size: u32,
    pub features: Features,
    /// Checksum seed when metadata_csum is on.
    pub csum_seed: Option<u32>,
    /// Inodes from 2 up, in number order; reserved inodes other than the root are absent.
    pub inodes: Vec<InodePlan>,
    /// Distinct attribute blocks (without refcount/checksum) and how many inodes use each.
    pub xattr_blocks: Vec<(Vec<u8>, u32)>,
    pub max_ino: u32,
}

fn content_err(path: &str, reason: impl Into<String>) -> ExtError {
    ExtError::Content {
        path: path.to_string(),
        reason: reason.into(),
    }
}

fn file_type(kind: &NodeKind) -> (u8, u16) {
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

/// The data ranges of every regular file, read once (they do not depend on the block size).
pub struct Ranges(pub HashMap<NodeId, Vec<(u64, u64)>>);

impl Ranges {
    pub fn scan(tree: &Tree) -> Result<Ranges, ExtError> {
        let mut map = HashMap::new();
        for (path, id) in tree.walk() {
            if let NodeKind::File { size, source } = &tree.node(id).kind {
                if map.contains_key(&id) {
                    continue;
                }
                let mut r = content::data_ranges(source, *size).map_err(|e| ExtError::Read {
                    path: path.clone(),
                    source: e,
                })?;
                for range in &mut r {
                    range.1 = range.1.min(*size);
                }
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
        let fs_seed = csum_seed(&resolved.uuid.0);
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
        let ibody_space = (inode_size as usize).saturating_sub(128 + extra_isize);

        // Inode numbers in depth-first tree order; lost+found is always 11.
        let mut ino_of: HashMap<NodeId, u32> = HashMap::new();
        let mut parent_of: HashMap<NodeId, NodeId> = HashMap::new();
        let mut order: Vec<(NodeId, String)> = Vec::new();
        let lpf_node = tree.lookup_in(ROOT, b"lost+found");
        if let Some(id) = lpf_node {
            if !matches!(tree.node(id).kind, NodeKind::Dir(_)) {
                return Err(content_err(
                    "/lost+found",
                    "must be a directory (e2fsck needs it); remove or rename it",
                ));
            }
        }
        ino_of.insert(ROOT, ROOT_INO);
        order.push((ROOT, "/".to_string()));
        let mut next = LPF_INO + 1;
        let mut stack = vec![(ROOT, String::new())];
        while let Some((id, path)) = stack.pop() {
            // A directory's entries get consecutive numbers (and later, neighbouring blocks).
            let mut subdirs = Vec::new();
            for (name, child) in tree.children(id) {
                let child_path = format!("{path}/{}", String::from_utf8_lossy(name));
                if name.len() > 255 || name.is_empty() || name.contains(&b'/') || name.contains(&0)
                {
                    return Err(content_err(
                        &child_path,
                        "names must be 1 to 255 bytes without '/' or NUL",
                    ));
                }
                if ino_of.contains_key(child) {
                    if matches!(tree.node(*child).kind, NodeKind::Dir(_)) {
                        return Err(content_err(&child_path, "a directory is linked twice"));
                    }
                    continue;
                }
                let ino = if Some(*child) == lpf_node && id == ROOT {
                    LPF_INO
                } else {
                    next += 1;
                    next - 1
                };
                ino_of.insert(*child, ino);
                order.push((*child, child_path.clone()));
                if matches!(tree.node(*child).kind, NodeKind::Dir(_)) {
                    parent_of.insert(*child, id);
                    subdirs.push((*child, child_path));
                }
            }
            stack.extend(subdirs.into_iter().rev());
        }
        let max_ino = next - 1;
        let counts = tree.link_counts();
        let dir_nlink = features.has_ro_compat(RO_COMPAT_DIR_NLINK);
        let large_file = features.has_ro_compat(RO_COMPAT_LARGE_FILE);
        let extents = features.has_incompat(INCOMPAT_EXTENTS);
        if !features.has_compat(COMPAT_EXT_ATTR) {
            if let Some((_, path)) = order
                .iter()
                .find(|(id, _)| !tree.node(*id).meta.xattrs.is_empty())
            {
                return Err(content_err(
                    path,
                    "has extended attributes but the ext_attr feature is off",
                ));
            }
        }

        let mut plans: Vec<Option<InodePlan>> = vec![None; (max_ino + 1) as usize];
        let mut xattr_index: HashMap<Vec<u8>, usize> = HashMap::new();
        let mut xattr_blocks: Vec<(Vec<u8>, u32)> = Vec::new();
        for (id, path) in &order {
            let id = *id;
            let node = tree.node(id);
            let ino = ino_of[&id];
            let (_, type_bits) = file_type(&node.kind);
            let mut links = counts[id];
            if id == ROOT && lpf_node.is_none() {
                links += 1; // lost+found's '..'
            }
            let is_dir = matches!(node.kind, NodeKind::Dir(_));
            if links > LINK_MAX {
                if is_dir && dir_nlink {
                    links = 1;
                } else if is_dir {
                    return Err(content_err(
                        path,
                        "more than 64998 subdirectories need the dir_nlink feature",
                    ));
                } else {
                    return Err(content_err(path, "more than 65000 hard links"));
                }
            }
            // -E root_owner wins over the tree for the root, as with mke2fs -d.
            let (uid, gid) = match resolved.options.root_owner {
                Some(owner) if id == ROOT => owner,
                _ => (node.meta.uid, node.meta.gid),
            };
            let mut ind = Inode {
                mode: type_bits | (node.meta.mode & 0o7777) as u16,
                uid,
                gid,
                atime: timestamp,
                ctime: timestamp,
                mtime: node.meta.mtime,
                crtime: timestamp,
                links: links as u16,
                ..Default::default()
            };
            if inode_size == 128 {
                for t in [node.meta.mtime, timestamp] {
                    if i32::try_from(t).is_err() {
                        return Err(content_err(
                            path,
                            "a time outside 1901-2038 needs inodes larger than 128 bytes (-I 256)",
                        ));
                    }
                }
            }
            let seed = inode_seed(fs_seed, ino, 0);
            let (data, runs) = match &node.kind {
                NodeKind::Dir(children) => {
                    let mut entries: Vec<DirEntry> = children
                        .iter()
                        .map(|(name, child)| DirEntry {
                            name,
                            ino: ino_of[child],
                            file_type: file_type(&tree.node(*child).kind).0,
                        })
                        .collect();
                    if id == ROOT && lpf_node.is_none() {
                        let at = entries
                            .binary_search_by(|e| e.name.cmp(b"lost+found".as_slice()))
                            .unwrap_or_else(|i| i);
                        entries.insert(
                            at,
                            DirEntry {
                                name: b"lost+found",
                                ino: LPF_INO,
                                file_type: dir::FT_DIR,
                            },
                        );
                    }
                    let parent = parent_of.get(&id).map(|p| ino_of[p]).unwrap_or(ROOT_INO);
                    let min_blocks = if ino == LPF_INO {
                        (16384 / bs).max(2)
                    } else {
                        1
                    };
                    let d = dir::build(&fmt, ino, parent, &entries, min_blocks, seed, path)?;
                    if d.indexed {
                        ind.flags |= inode::INDEX_FL;
                    }
                    ind.size = (d.blocks.len() * bs) as u64;
                    let n = d.blocks.len() as u64;
                    (Data::Blocks(d.blocks), vec![(0, n)])
                }
                NodeKind::File { size, .. } => {
                    if *size >= 1 << 31 && !large_file {
                        return Err(content_err(
                            path,
                            "files of 2 GiB or more need the large_file feature",
                        ));
                    }
                    ind.size = *size;
                    let r = ranges.0.get(&id).cloned().unwrap_or_default();
                    let runs = block_runs(&r, bs as u64);
                    let limit = if extents {
                        1u64 << 32
                    } else {
                        inode::block_map_limit(bs)
                    };
                    if size.div_ceil(bs as u64) > limit {
                        return Err(content_err(
                            path,
                            format!("is larger than an ext file with {bs}-byte blocks can be"),
                        ));
                    }
                    (
                        Data::File {
                            node: id,
                            size: *size,
                        },
                        runs,
                    )
                }
                NodeKind::Symlink(target) => {
                    ind.size = target.len() as u64;
                    if target.is_empty() {
                        return Err(content_err(path, "a symbolic link needs a target"));
                    }
                    if target.len() < 60 {
                        ind.block[..target.len()].copy_from_slice(target);
                        (Data::None, vec![])
                    } else if target.len() < bs {
                        let mut b = target.clone();
                        b.resize(bs, 0);
                        (Data::Blocks(vec![b]), vec![(0, 1)])
                    } else {
                        return Err(content_err(
                            path,
                            format!("symbolic link target longer than {} bytes", bs - 1),
                        ));
                    }
                }
                NodeKind::CharDevice { major, minor } | NodeKind::BlockDevice { major, minor } => {
                    if *major >= 1 << 12 || *minor >= 1 << 20 {
                        return Err(content_err(path, "device number out of range"));
                    }
                    ind.block = inode::device_block(*major, *minor);
                    (Data::None, vec![])
                }
                NodeKind::Fifo | NodeKind::Socket => (Data::None, vec![]),
            };
            let layout = xattr::layout(&node.meta.xattrs, ibody_space, bs, path)?;
            ind.xattrs = layout.ibody;
            let xattr_block = layout.block.map(|b| {
                let next = xattr_blocks.len();
                let i = *xattr_index.entry(b.clone()).or_insert(next);
                if i == next {
                    xattr_blocks.push((b, 0));
                }
                xattr_blocks[i].1 += 1;
                i
            });
            plans[ino as usize] = Some(InodePlan {
                ino,
                node: Some(id),
                inode: ind,
                data,
                runs,
                xattr_block,
                is_dir,
            });
        }
        if lpf_node.is_none() {
            let d = dir::build(
                &fmt,
                LPF_INO,
                ROOT_INO,
                &[],
                (16384 / bs).max(2),
                inode_seed(fs_seed, LPF_INO, 0),
                "/lost+found",
            )?;
            let n = d.blocks.len() as u64;
            plans[LPF_INO as usize] = Some(InodePlan {
                ino: LPF_INO,
                node: None,
                inode: Inode {
                    mode: inode::S_IFDIR | 0o700,
                    atime: timestamp,
                    ctime: timestamp,
                    mtime: timestamp,
                    crtime: timestamp,
                    links: 2,
                    size: n * bs as u64,
                    ..Default::default()
                },
                data: Data::Blocks(d.blocks),
                runs: vec![(0, n)],
                xattr_block: None,
                is_dir: true,
            });
        }
        Ok(Inventory {
            block_size,
            inode_size,
            features: *features,
            csum_seed: csum.then_some(fs_seed),
            inodes: plans.into_iter().flatten().collect(),
            xattr_blocks,
            max_ino: max_ino.max(FIRST_INO),
        })
    }

    /// Inodes the file system must have (every number up to the highest used).
    pub fn needed_inodes(&self) -> u64 {
        u64::from(self.max_ino)
    }
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
