//! What goes where, independent of writing: the directories with their on-disk names
//! ([`Plan`]), and, for one geometry, the first cluster of each directory and file
//! ([`Layout`]).

use super::geometry::Geometry;
use super::names::{name_directory, EntryName};
use super::{FatError, FatKind};
use crate::content::{NodeId, NodeKind, Tree, ROOT};

/// One directory to write.
/// Entries a FAT directory may hold (2 MiB of entries: the FAT specification's limit, which
/// fsck.vfat and Windows enforce).
const MAX_DIR_SLOTS: usize = 65_536;
/// FAT16's root directory size is a 16-bit count of whole sectors of entries.
const MAX_FAT16_ROOT: usize = 65_520;

pub(super) struct DirPlan {
    pub(super) path: String,
    /// Index of the parent directory (the root is its own parent).
    pub(super) parent: usize,
    /// Slots before the named entries: `.` and `..`, or the label in the root.
    pub(super) leading: usize,
    pub(super) entries: Vec<PlannedEntry>,
    /// The directory's own time (its `.` and `..` entries).
    pub(super) mtime: i64,
}

impl DirPlan {
    pub(super) fn slots(&self) -> usize {
        self.leading + self.entries.iter().map(|e| e.name.slots()).sum::<usize>()
    }
}

pub(super) struct PlannedEntry {
    pub(super) name: EntryName,
    pub(super) what: Child,
    /// The tree's time for this entry.
    pub(super) mtime: i64,
}

#[derive(Clone, Copy)]
pub(super) enum Child {
    Dir(usize),
    File { node: NodeId, size: u64 },
}

/// Every directory and file of the tree with its on-disk names; independent of the size.
pub(super) struct Plan {
    /// `dirs[0]` is the root; children come after their parents.
    pub(super) dirs: Vec<DirPlan>,
}

impl Plan {
    pub(super) fn new(tree: &Tree, root_leading: usize) -> Result<Plan, FatError> {
        let mut dirs = vec![];
        let mut seen = vec![false; tree.len()];
        let mut queue = vec![(ROOT, String::new(), 0usize)];
        seen[ROOT] = true;
        let mut next = 0;
        while next < queue.len() {
            let (id, path, parent) = queue[next].clone();
            let children = tree.children(id);
            let raw: Vec<&[u8]> = children.iter().map(|(n, _)| n.as_slice()).collect();
            let named = name_directory(&raw).map_err(|(i, reason)| FatError::BadName {
                path: format!("{path}/{}", crate::content::display_name(&children[i].0)),
                reason,
            })?;
            let mut entries = Vec::with_capacity(children.len());
            for ((name, child), on_disk) in children.iter().zip(named) {
                let child_path = format!("{path}/{}", crate::content::display_name(name));
                let what = match &tree.node(*child).kind {
                    NodeKind::Dir(_) => {
                        if std::mem::replace(&mut seen[*child], true) {
                            return Err(FatError::DirectoryTwice { path: child_path });
                        }
                        queue.push((*child, child_path, next));
                        Child::Dir(queue.len() - 1)
                    }
                    NodeKind::File { size, .. } => {
                        if *size > u64::from(u32::MAX) {
                            return Err(FatError::FileTooBig {
                                path: child_path,
                                size: *size,
                            });
                        }
                        Child::File {
                            node: *child,
                            size: *size,
                        }
                    }
                    other => {
                        return Err(FatError::Unsupported {
                            path: child_path,
                            what: match other {
                                NodeKind::Symlink(_) => "symbolic link",
                                NodeKind::CharDevice { .. } => "character device",
                                NodeKind::BlockDevice { .. } => "block device",
                                NodeKind::Fifo => "named pipe",
                                _ => "socket",
                            },
                        })
                    }
                };
                entries.push(PlannedEntry {
                    name: on_disk,
                    what,
                    mtime: tree.node(*child).meta.mtime,
                });
            }
            let dir = DirPlan {
                path: if path.is_empty() { "/".into() } else { path },
                parent,
                leading: if id == ROOT { root_leading } else { 2 },
                entries,
                mtime: tree.node(id).meta.mtime,
            };
            let slots = dir.slots();
            if slots > MAX_DIR_SLOTS {
                return Err(FatError::DirectoryTooBig {
                    path: dir.path,
                    slots,
                    max: MAX_DIR_SLOTS,
                });
            }
            dirs.push(dir);
            next += 1;
        }
        Ok(Plan { dirs })
    }

    /// Slots of the root directory, refusing more than FAT16's fixed root can have.
    pub(super) fn root_entries(&self, kind: FatKind) -> Result<u32, FatError> {
        let slots = self.dirs[0].slots();
        if kind == FatKind::Fat16 && slots > MAX_FAT16_ROOT {
            return Err(FatError::DirectoryTooBig {
                path: "/".into(),
                slots,
                max: MAX_FAT16_ROOT,
            });
        }
        Ok(slots as u32)
    }

    /// Clusters of a directory: its entries, at least one cluster.
    pub(super) fn dir_clusters(&self, dir: usize, cluster_bytes: u64) -> u64 {
        (self.dirs[dir].slots() as u64 * 32)
            .div_ceil(cluster_bytes)
            .max(1)
    }

    pub(super) fn clusters_needed(&self, geo: &Geometry) -> u64 {
        let cb = geo.cluster_bytes();
        let mut n = 0;
        for (i, d) in self.dirs.iter().enumerate() {
            if i > 0 || geo.kind == FatKind::Fat32 {
                n += self.dir_clusters(i, cb);
            }
            for e in &d.entries {
                if let Child::File { size, .. } = e.what {
                    n += size.div_ceil(cb);
                }
            }
        }
        n
    }

    /// First clusters, depth-first in tree order, each chain contiguous.
    pub(super) fn allocate(&self, geo: &Geometry) -> Layout {
        let cb = geo.cluster_bytes();
        let mut next = 2u32;
        let mut take = |clusters: u64, chains: &mut Vec<(u32, u32)>| -> u32 {
            if clusters == 0 {
                return 0;
            }
            let first = next;
            chains.push((first, clusters as u32));
            next += clusters as u32;
            first
        };
        let mut chains = Vec::new();
        let mut dir_cluster = vec![0u32; self.dirs.len()];
        let mut file_cluster: Vec<Vec<u32>> =
            self.dirs.iter().map(|d| vec![0; d.entries.len()]).collect();
        if geo.kind == FatKind::Fat32 {
            dir_cluster[0] = take(self.dir_clusters(0, cb), &mut chains);
        }
        let mut stack = vec![(0usize, 0usize)];
        while let Some((dir, idx)) = stack.pop() {
            let Some(entry) = self.dirs[dir].entries.get(idx) else {
                continue;
            };
            stack.push((dir, idx + 1));
            match entry.what {
                Child::File { size, .. } => {
                    file_cluster[dir][idx] = take(size.div_ceil(cb), &mut chains);
                }
                Child::Dir(sub) => {
                    dir_cluster[sub] = take(self.dir_clusters(sub, cb), &mut chains);
                    stack.push((sub, 0));
                }
            }
        }
        Layout {
            dir_cluster,
            file_cluster,
            chains,
            used: next - 2,
        }
    }
}

/// Where each directory and file starts, and the cluster chains in order.
pub(super) struct Layout {
    /// 0 for the FAT16 root (it has its own region).
    pub(super) dir_cluster: Vec<u32>,
    pub(super) file_cluster: Vec<Vec<u32>>,
    /// (first cluster, length), ascending and back to back from cluster 2.
    pub(super) chains: Vec<(u32, u32)>,
    pub(super) used: u32,
}
