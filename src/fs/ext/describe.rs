//! One inode's fields and in-memory blocks, computed from its tree node when needed. The
//! inventory calls this once to count blocks and check the node, the renderer again to write
//! it: nothing per inode is kept in between but a compact record.

use super::dir::{self, DirEntry};
use super::hash::inode_seed;
use super::inode::{self, Inode};
use super::inventory::{
    content_err, file_type, path_of, InodeRec, Inventory, LINK_MAX, LPF_INO, NO_NODE, ROOT_INO,
};
use super::options::{RO_COMPAT_DIR_NLINK, RO_COMPAT_LARGE_FILE};
use super::xattr;
use super::ExtError;
use crate::content::{NodeId, NodeKind, Tree, ROOT};

/// Where an inode's block content comes from.
pub enum Body {
    /// No blocks (fast symlinks, devices, FIFOs, sockets).
    None,
    /// Directory or long symlink blocks, built in memory.
    Blocks(Vec<Vec<u8>>),
    /// A regular file's bytes, read at write time.
    File { node: NodeId, size: u64 },
}

pub struct Described {
    /// Inode fields except the block map, block count and attribute block.
    pub inode: Inode,
    pub body: Body,
    /// The attribute block this inode needs (without refcount and checksum).
    pub xattr_block: Option<Vec<u8>>,
    pub is_dir: bool,
}

/// Puts the node's path into a content error raised without one (paths are found only when
/// something is wrong: no path is kept per entry).
fn at_path<T>(tree: &Tree, id: NodeId, r: Result<T, ExtError>) -> Result<T, ExtError> {
    r.map_err(|e| match e {
        ExtError::Content { path, reason } if path.is_empty() => ExtError::Content {
            path: path_of(tree, id),
            reason,
        },
        other => other,
    })
}

impl Inventory {
    /// The synthetic lost+found (when the tree has none).
    fn describe_lpf(&self) -> Result<Described, ExtError> {
        let bs = self.block_size as usize;
        let d = dir::build(
            &self.fmt,
            LPF_INO,
            ROOT_INO,
            &[],
            (16384 / bs).max(2),
            inode_seed(self.fs_seed, LPF_INO, 0),
            "/lost+found",
        )?;
        let t = self.timestamp;
        Ok(Described {
            inode: Inode {
                mode: inode::S_IFDIR | 0o700,
                atime: t,
                ctime: t,
                mtime: t,
                crtime: t,
                links: 2,
                size: (d.blocks.len() * bs) as u64,
                ..Default::default()
            },
            body: Body::Blocks(d.blocks),
            xattr_block: None,
            is_dir: true,
        })
    }

    /// Everything about inode `rec` but where its blocks go.
    pub fn describe(&self, tree: &Tree, rec: &InodeRec) -> Result<Described, ExtError> {
        if rec.node == NO_NODE {
            return self.describe_lpf();
        }
        let id = rec.node as NodeId;
        self.describe_node(tree, id, rec.ino, rec.parent)
    }

    pub(super) fn describe_node(
        &self,
        tree: &Tree,
        id: NodeId,
        ino: u32,
        parent: u32,
    ) -> Result<Described, ExtError> {
        let bs = self.block_size as usize;
        let features = &self.features;
        let node = tree.node(id);
        let (_, type_bits) = file_type(&node.kind);
        let mut links = self.links[id];
        if id == ROOT && self.lpf_node.is_none() {
            links += 1; // lost+found's '..'
        }
        let is_dir = matches!(node.kind, NodeKind::Dir(_));
        if links > LINK_MAX {
            if is_dir && features.has_ro_compat(RO_COMPAT_DIR_NLINK) {
                links = 1;
            } else if is_dir {
                return Err(content_err(
                    &path_of(tree, id),
                    "more than 64998 subdirectories need the dir_nlink feature",
                ));
            } else {
                return Err(content_err(
                    &path_of(tree, id),
                    "more than 65000 hard links",
                ));
            }
        }
        // -E root_owner wins over the tree for the root, as with mke2fs -d.
        let (uid, gid) = match self.root_owner {
            Some(owner) if id == ROOT => owner,
            _ => (node.meta.uid, node.meta.gid),
        };
        let t = self.timestamp;
        let mut ind = Inode {
            mode: type_bits | (node.meta.mode & 0o7777) as u16,
            uid,
            gid,
            atime: t,
            ctime: t,
            mtime: node.meta.mtime,
            crtime: t,
            links: links as u16,
            ..Default::default()
        };
        if self.inode_size == 128
            && [node.meta.mtime, t]
                .iter()
                .any(|&t| i32::try_from(t).is_err())
        {
            return Err(content_err(
                &path_of(tree, id),
                "a time outside 1901-2038 needs inodes larger than 128 bytes (-I 256)",
            ));
        }
        let body = match &node.kind {
            NodeKind::Dir(children) => {
                let mut entries: Vec<DirEntry> = children
                    .iter()
                    .map(|(name, child)| DirEntry {
                        name,
                        ino: self.ino_of[*child],
                        file_type: file_type(&tree.node(*child).kind).0,
                    })
                    .collect();
                if id == ROOT && self.lpf_node.is_none() {
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
                let min_blocks = if ino == LPF_INO {
                    (16384 / bs).max(2)
                } else {
                    1
                };
                let seed = inode_seed(self.fs_seed, ino, 0);
                let d = dir::build(&self.fmt, ino, parent, &entries, min_blocks, seed, "");
                let d = at_path(tree, id, d)?;
                if d.indexed {
                    ind.flags |= inode::INDEX_FL;
                }
                ind.size = (d.blocks.len() * bs) as u64;
                Body::Blocks(d.blocks)
            }
            NodeKind::File { size, .. } => {
                if *size >= 1 << 31 && !features.has_ro_compat(RO_COMPAT_LARGE_FILE) {
                    return Err(content_err(
                        &path_of(tree, id),
                        "files of 2 GiB or more need the large_file feature",
                    ));
                }
                let limit = if self.extents {
                    1u64 << 32
                } else {
                    inode::block_map_limit(bs)
                };
                if size.div_ceil(bs as u64) > limit {
                    return Err(content_err(
                        &path_of(tree, id),
                        format!("is larger than an ext file with {bs}-byte blocks can be"),
                    ));
                }
                ind.size = *size;
                Body::File {
                    node: id,
                    size: *size,
                }
            }
            NodeKind::Symlink(target) => {
                ind.size = target.len() as u64;
                if target.is_empty() {
                    return Err(content_err(
                        &path_of(tree, id),
                        "a symbolic link needs a target",
                    ));
                }
                if target.len() < 60 {
                    ind.block[..target.len()].copy_from_slice(target);
                    Body::None
                } else if target.len() < bs {
                    let mut b = target.clone();
                    b.resize(bs, 0);
                    Body::Blocks(vec![b])
                } else {
                    return Err(content_err(
                        &path_of(tree, id),
                        format!("symbolic link target longer than {} bytes", bs - 1),
                    ));
                }
            }
            NodeKind::CharDevice { major, minor } | NodeKind::BlockDevice { major, minor } => {
                if *major >= 1 << 12 || *minor >= 1 << 20 {
                    return Err(content_err(
                        &path_of(tree, id),
                        "device number out of range",
                    ));
                }
                ind.block = inode::device_block(*major, *minor);
                Body::None
            }
            NodeKind::Fifo | NodeKind::Socket => Body::None,
        };
        let layout = if node.meta.xattrs.is_empty() {
            xattr::Layout::default()
        } else {
            at_path(
                tree,
                id,
                xattr::layout(&node.meta.xattrs, self.ibody_space, bs, ""),
            )?
        };
        ind.xattrs = layout.ibody;
        Ok(Described {
            inode: ind,
            body,
            xattr_block: layout.block,
            is_dir,
        })
    }
}
