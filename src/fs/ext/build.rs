//! Places the inventory in a geometry (journal first, then each inode's blocks in inode
//! order) and renders every metadata block: inodes, tables, bitmaps, descriptors,
//! superblocks and their backups. The result is a list of writes, file data by reference.

use super::geometry::{Allocator, Geometry};
use super::inode::{self, Extent, Inode};
use super::inventory::{Data, Inventory, JOURNAL_INO};
use super::options::{Features, Options, INCOMPAT_EXTENTS, RO_COMPAT_HUGE_FILE};
use super::superblock::{self, GroupCounts, SuperParams};
use super::xattr;
use super::ExtError;
use crate::content::NodeId;
use crate::model::Uuid;

/// Where one inode's blocks went.
#[derive(Debug, Clone, Default)]
pub struct Placed {
    pub extents: Vec<Extent>,
    /// Extent tree or indirect blocks.
    pub map_blocks: Vec<u64>,
}

pub struct Placement {
    pub alloc: Allocator,
    pub inodes: Vec<Placed>,
    pub journal: Option<Placed>,
    pub xattr_addrs: Vec<u64>,
}

/// Largest piece of file data one write item carries.
const MAX_ITEM: u64 = 1 << 20;

#[derive(Debug, Clone)]
pub enum Payload {
    Bytes(Vec<u8>),
    /// `len` bytes of a tree file from `offset`.
    File {
        node: NodeId,
        offset: u64,
        len: u64,
    },
}

#[derive(Debug, Clone)]
pub struct Item {
    /// Byte offset in the file system.
    pub at: u64,
    pub payload: Payload,
}

impl Item {
    pub fn len(&self) -> u64 {
        match &self.payload {
            Payload::Bytes(b) => b.len() as u64,
            Payload::File { len, .. } => *len,
        }
    }
}

fn map_block_count(
    runs_ext: &[Extent],
    logical_runs: &[(u64, u64)],
    bs: usize,
    extents: bool,
) -> u64 {
    if extents {
        inode::extent_tree_blocks(inode::to_extents(runs_ext).len(), bs)
    } else {
        inode::block_map_keys(logical_runs, bs).len() as u64
    }
}

/// Allocates `runs` (logical start, len) and returns the resulting extents.
fn place_runs(alloc: &mut Allocator, runs: &[(u64, u64)]) -> Vec<Extent> {
    let mut out = Vec::new();
    for &(logical, len) in runs {
        let mut l = logical;
        for (physical, n) in alloc.alloc(len) {
            out.push(Extent {
                logical: l,
                physical,
                len: n,
            });
            l += n;
        }
    }
    out
}

/// Places everything; `Err(missing)` tells how many blocks are lacking.
pub fn place(inv: &Inventory, geo: &Geometry) -> Result<Placement, u64> {
    let bs = inv.block_size as usize;
    let extents = inv.features.has_incompat(INCOMPAT_EXTENTS);
    let mut alloc = Allocator::new(&geo.free);
    let journal = (geo.journal_blocks > 0).then(|| {
        let runs = [(0, geo.journal_blocks)];
        let ext = place_runs(&mut alloc, &runs);
        let n = map_block_count(&ext, &runs, bs, extents);
        let map_blocks = alloc.alloc(n).iter().flat_map(|(s, n)| *s..s + n).collect();
        Placed {
            extents: ext,
            map_blocks,
        }
    });
    let mut xattr_addrs = vec![u64::MAX; inv.xattr_blocks.len()];
    let mut inodes = Vec::with_capacity(inv.inodes.len());
    for plan in &inv.inodes {
        if let Some(x) = plan.xattr_block {
            if xattr_addrs[x] == u64::MAX {
                xattr_addrs[x] = alloc.alloc(1).first().map(|r| r.0).unwrap_or(0);
            }
        }
        let ext = place_runs(&mut alloc, &plan.runs);
        let n = if ext.is_empty() {
            0
        } else {
            map_block_count(&ext, &plan.runs, bs, extents)
        };
        let map_blocks = alloc.alloc(n).iter().flat_map(|(s, n)| *s..s + n).collect();
        inodes.push(Placed {
            extents: ext,
            map_blocks,
        });
    }
    if alloc.overflow > 0 {
        return Err(alloc.overflow);
    }
    Ok(Placement {
        alloc,
        inodes,
        journal,
        xattr_addrs,
    })
}

/// Everything the file system consists of, ready to write.
pub struct Image {
    pub items: Vec<Item>,
}

pub struct Identity<'a> {
    pub options: &'a Options,
    pub label: &'a str,
    pub uuid: Uuid,
    pub hash_seed: Uuid,
    pub timestamp: i64,
}

fn set_bit(b: &mut [u8], i: usize) {
    b[i / 8] |= 1 << (i % 8);
}

/// The block map of an inode: extents or indirect blocks, plus its tree blocks.
fn map_inode(
    features: &Features,
    ino: u32,
    placed: &Placed,
    logical_runs: &[(u64, u64)],
    bs: usize,
    csum_seed: Option<u32>,
) -> ([u8; 60], Vec<(u64, Vec<u8>)>) {
    if features.has_incompat(INCOMPAT_EXTENTS) {
        let ext = inode::to_extents(&placed.extents);
        inode::build_extent_tree(&ext, &placed.map_blocks, bs, ino, csum_seed)
    } else {
        let keys = inode::block_map_keys(logical_runs, bs);
        inode::build_block_map(&placed.extents, &keys, &placed.map_blocks, bs)
    }
}

fn sectors(blocks: u64, bs: usize, huge_file: bool, what: &str) -> Result<u64, ExtError> {
    let s = blocks * (bs as u64 / 512);
    let limit = if huge_file { 1u64 << 48 } else { 1u64 << 32 };
    if s >= limit {
        return Err(ExtError::Content {
            path: what.to_string(),
            reason: "too many blocks for one inode (enable huge_file)".into(),
        });
    }
    Ok(s)
}

pub fn render(
    inv: &Inventory,
    geo: &Geometry,
    placement: &Placement,
    id: &Identity,
) -> Result<Image, ExtError> {
    let bs = inv.block_size as usize;
    let isz = inv.inode_size as usize;
    let extra = if isz > 128 { 32 } else { 0 };
    let features = &inv.features;
    let huge = features.has_ro_compat(RO_COMPAT_HUGE_FILE);
    let extents = features.has_incompat(INCOMPAT_EXTENTS);
    let mut items: Vec<Item> = Vec::new();
    let ipg = geo.inodes_per_group as usize;
    let max_ino = inv.max_ino as usize;
    // Inode table contents for inodes 1..=max_ino.
    let mut table = vec![0u8; max_ino * isz];
    let mut put_inode = |ino: u32, bytes: Vec<u8>| {
        let at = (ino as usize - 1) * isz;
        table[at..at + isz].copy_from_slice(&bytes);
    };

    let mut journal_backup = None;
    if let Some(j) = &placement.journal {
        let runs = [(0, geo.journal_blocks)];
        let (block, tree) = map_inode(features, JOURNAL_INO, j, &runs, bs, inv.csum_seed);
        let ind = Inode {
            mode: inode::S_IFREG | 0o600,
            size: geo.journal_blocks * bs as u64,
            atime: id.timestamp,
            ctime: id.timestamp,
            mtime: id.timestamp,
            crtime: id.timestamp,
            links: 1,
            sectors: sectors(geo.journal_blocks + tree.len() as u64, bs, huge, "journal")?,
            flags: if extents { inode::EXTENTS_FL } else { 0 },
            block,
            ..Default::default()
        };
        journal_backup = Some((block, ind.size));
        put_inode(
            JOURNAL_INO,
            ind.encode(JOURNAL_INO, isz, extra, inv.csum_seed),
        );
        for (addr, b) in tree {
            items.push(Item {
                at: geo.offset(addr),
                payload: Payload::Bytes(b),
            });
        }
        let first = j.extents.first().map(|e| e.physical).unwrap_or(0);
        items.push(Item {
            at: geo.offset(first),
            payload: Payload::Bytes(superblock::journal_superblock(
                inv.block_size,
                geo.journal_blocks,
                &id.uuid,
            )),
        });
    }

    for (i, (blk, &refs)) in inv.xattr_blocks.iter().map(|(b, r)| (b, r)).enumerate() {
        let addr = placement.xattr_addrs[i];
        let mut b = blk.clone();
        xattr::finish_block(&mut b, refs, addr, inv.csum_seed);
        items.push(Item {
            at: geo.offset(addr),
            payload: Payload::Bytes(b),
        });
    }

    let mut dirs_per_group = vec![0u32; geo.groups.len()];
    for (plan, placed) in inv.inodes.iter().zip(&placement.inodes) {
        let mut ind = plan.inode.clone();
        let data_blocks = plan.data_blocks();
        let mut map_count = 0;
        if !placed.extents.is_empty()
            || (extents && plan.node.is_some() && matches!(plan.data, Data::File { .. }))
        {
            let (block, tree) =
                map_inode(features, plan.ino, placed, &plan.runs, bs, inv.csum_seed);
            ind.block = block;
            map_count = tree.len() as u64;
            if extents {
                ind.flags |= inode::EXTENTS_FL;
            }
            for (addr, b) in tree {
                items.push(Item {
                    at: geo.offset(addr),
                    payload: Payload::Bytes(b),
                });
            }
        }
        if let Some(x) = plan.xattr_block {
            ind.file_acl = placement.xattr_addrs[x];
        }
        let total = data_blocks + map_count + u64::from(plan.xattr_block.is_some());
        ind.sectors = sectors(total, bs, huge, &format!("inode {}", plan.ino))?;
        if plan.is_dir {
            dirs_per_group[(plan.ino as usize - 1) / ipg] += 1;
        }
        put_inode(plan.ino, ind.encode(plan.ino, isz, extra, inv.csum_seed));
        match &plan.data {
            Data::None => {}
            Data::Blocks(blocks) => {
                // Blocks are numbered logically from 0; extents say where each went.
                for e in &placed.extents {
                    for k in 0..e.len {
                        items.push(Item {
                            at: geo.offset(e.physical + k),
                            payload: Payload::Bytes(blocks[(e.logical + k) as usize].clone()),
                        });
                    }
                }
            }
            Data::File { node, size } => {
                for e in &placed.extents {
                    let start = e.logical * bs as u64;
                    let end = ((e.logical + e.len) * bs as u64).min(*size);
                    let mut off = start;
                    while off < end {
                        let len = (end - off).min(MAX_ITEM);
                        items.push(Item {
                            at: geo.offset(e.physical) + (off - start),
                            payload: Payload::File {
                                node: *node,
                                offset: off,
                                len,
                            },
                        });
                        off += len;
                    }
                }
            }
        }
    }

    // Inode tables (used part only), inode bitmaps, block bitmaps.
    let mut counts = vec![GroupCounts::default(); geo.groups.len()];
    let remaining = placement.alloc.remaining();
    let mut free_iter = remaining.iter().peekable();
    let bpg_bytes = geo.blocks_per_group as usize / 8;
    for (gi, g) in geo.groups.iter().enumerate() {
        let first = gi * ipg; // index of the group's first inode (inode number - 1)
        let used = max_ino.saturating_sub(first).min(ipg);
        if used > 0 {
            let bytes = table[first * isz..(first + used) * isz].to_vec();
            let mut bytes = bytes;
            bytes.resize((used * isz).next_multiple_of(bs), 0);
            items.push(Item {
                at: geo.offset(g.inode_table),
                payload: Payload::Bytes(bytes),
            });
        }
        let mut ibm = vec![0u8; bs];
        for i in 0..used {
            set_bit(&mut ibm, i);
        }
        for i in ipg..bs * 8 {
            set_bit(&mut ibm, i);
        }
        // Block bitmap: used unless in a remaining free range.
        let mut bbm = vec![0xFFu8; bs];
        let (gs, ge) = (g.start, g.start + g.len);
        for i in 0..g.len as usize {
            bbm[i / 8] &= !(1 << (i % 8)); // cleared, then set back below
        }
        let mut free_in_group = 0u64;
        let mut free_ranges = Vec::new();
        while let Some(&&(s, e)) = free_iter.peek() {
            if s >= ge {
                break;
            }
            let (a, b) = (s.max(gs), e.min(ge));
            if a < b {
                free_ranges.push((a, b));
                free_in_group += b - a;
            }
            if e <= ge {
                free_iter.next();
            } else {
                break;
            }
        }
        let mut cursor = gs;
        for (a, b) in free_ranges.iter().copied().chain(std::iter::once((ge, ge))) {
            for blk in cursor..a {
                set_bit(&mut bbm, (blk - gs) as usize);
            }
            cursor = b;
        }
        let c = &mut counts[gi];
        c.free_blocks = free_in_group as u32;
        c.free_inodes = (ipg - used) as u32;
        c.used_dirs = dirs_per_group[gi];
        c.itable_unused = (ipg - used) as u32;
        if let Some(seed) = inv.csum_seed {
            c.block_bitmap_csum = super::hash::crc32c_raw(seed, &bbm[..bpg_bytes]);
            c.inode_bitmap_csum = super::hash::crc32c_raw(seed, &ibm[..ipg / 8]);
        }
        items.push(Item {
            at: geo.offset(g.block_bitmap),
            payload: Payload::Bytes(bbm),
        });
        items.push(Item {
            at: geo.offset(g.inode_bitmap),
            payload: Payload::Bytes(ibm),
        });
    }
    drop(table);

    let free_blocks: u64 = counts.iter().map(|c| u64::from(c.free_blocks)).sum();
    let free_inodes: u64 = counts.iter().map(|c| u64::from(c.free_inodes)).sum();
    let gdt = superblock::descriptors(geo, features, &counts, inv.csum_seed);
    let sp = SuperParams {
        geometry: geo,
        features: *features,
        options: id.options,
        label: id.label,
        uuid: id.uuid,
        hash_seed: id.hash_seed,
        timestamp: id.timestamp,
        free_blocks,
        free_inodes,
        journal: journal_backup,
    };
    for (gi, g) in geo.groups.iter().enumerate() {
        if !g.has_super {
            continue;
        }
        let sb = superblock::superblock(&sp, gi as u32);
        let sb_at = if gi == 0 { 1024 } else { geo.offset(g.start) };
        items.push(Item {
            at: sb_at,
            payload: Payload::Bytes(sb),
        });
        items.push(Item {
            at: geo.offset(g.start + 1),
            payload: Payload::Bytes(gdt.clone()),
        });
    }
    items.sort_by_key(|i| i.at);
    Ok(Image { items })
}
