//! Places the inventory in a geometry (journal first, then each inode's blocks in inode
//! order) and renders every metadata block: inodes, tables, bitmaps, descriptors,
//! superblocks and their backups. Placement is recomputed in the same order while rendering,
//! so nothing per inode is kept: inode-table blocks and directory blocks go to the sink as
//! they are made, file data by reference.

use super::describe::Body;
use super::geometry::{Allocator, Geometry};
use super::inode::{self, Extent, Inode};
use super::inventory::{InodeRec, Inventory, JOURNAL_INO, NO_NODE};
use super::options::{Features, Options, INCOMPAT_EXTENTS, RO_COMPAT_HUGE_FILE};
use super::superblock::{self, GroupCounts, SuperParams};
use super::writer::Sink;
use super::xattr;
use super::ExtError;
use crate::content::Tree;
use crate::model::Uuid;

/// Where one inode's blocks went.
#[derive(Debug, Clone, Default)]
pub struct Placed {
    pub extents: Vec<Extent>,
    /// Extent tree or indirect blocks.
    pub map_blocks: Vec<u64>,
}

/// Largest piece of file data one write carries.
const MAX_ITEM: u64 = 1 << 20;
/// Largest piece of inode table kept before it is written.
const TABLE_WINDOW: usize = 1 << 20;

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

/// Hands out blocks in the one order both the fit check and the renderer use.
pub struct Placer {
    pub alloc: Allocator,
    /// Address of each shared attribute block once its first user is placed.
    xattr_addrs: Vec<Option<u64>>,
    bs: usize,
    extents: bool,
}

impl Placer {
    fn new(inv: &Inventory, geo: &Geometry) -> Self {
        Placer {
            alloc: Allocator::new(&geo.free),
            xattr_addrs: vec![None; inv.xattr_blocks.len()],
            bs: inv.block_size as usize,
            extents: inv.features.has_incompat(INCOMPAT_EXTENTS),
        }
    }

    fn map_blocks(&mut self, ext: &[Extent], runs: &[(u64, u64)]) -> Vec<u64> {
        let n = map_block_count(ext, runs, self.bs, self.extents);
        self.alloc
            .alloc(n)
            .iter()
            .flat_map(|(s, n)| *s..s + n)
            .collect()
    }

    fn journal(&mut self, geo: &Geometry) -> Option<Placed> {
        (geo.journal_blocks > 0).then(|| {
            let runs = [(0, geo.journal_blocks)];
            let extents = place_runs(&mut self.alloc, &runs);
            let map_blocks = self.map_blocks(&extents, &runs);
            Placed {
                extents,
                map_blocks,
            }
        })
    }

    /// Places one inode; also returns its attribute block's address and whether this inode
    /// is the block's first user (who writes it).
    fn inode(&mut self, inv: &Inventory, rec: &InodeRec) -> (Placed, Option<(u64, bool)>) {
        let xattr = rec.xattr_block().map(|x| match self.xattr_addrs[x] {
            Some(a) => (a, false),
            None => {
                let a = self.alloc.alloc(1).first().map(|r| r.0).unwrap_or(0);
                self.xattr_addrs[x] = Some(a);
                (a, true)
            }
        });
        let runs = inv.runs(rec);
        let extents = place_runs(&mut self.alloc, &runs);
        let map_blocks = if extents.is_empty() {
            Vec::new()
        } else {
            self.map_blocks(&extents, &runs)
        };
        (
            Placed {
                extents,
                map_blocks,
            },
            xattr,
        )
    }
}

/// Whether everything fits; `Err(missing)` tells how many blocks are lacking.
pub fn fits(inv: &Inventory, geo: &Geometry) -> Result<(), u64> {
    let mut placer = Placer::new(inv, geo);
    placer.journal(geo);
    for rec in &inv.inodes {
        placer.inode(inv, rec);
        if placer.alloc.overflow > 0 {
            break;
        }
    }
    match placer.alloc.overflow {
        0 => Ok(()),
        n => Err(n),
    }
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

/// The inode table in windows of at most [`TABLE_WINDOW`] bytes, each written when an inode
/// past it arrives (inodes come in number order).
struct Table<'g> {
    geo: &'g Geometry,
    isz: usize,
    max_ino: u32,
    /// First inode number (1-based) of the window, and its bytes.
    first: u32,
    bytes: Vec<u8>,
    per_window: u32,
}

impl<'g> Table<'g> {
    fn new(geo: &'g Geometry, isz: usize, max_ino: u32) -> Self {
        let ipg = geo.inodes_per_group;
        let per_window = ((TABLE_WINDOW / isz) as u32).clamp(1, ipg);
        Table {
            geo,
            isz,
            max_ino,
            first: 1,
            bytes: Vec::new(),
            per_window,
        }
    }

    /// The window holding `ino`: [first, end) within one group.
    fn window(&self, ino: u32) -> (u32, u32) {
        let ipg = self.geo.inodes_per_group;
        let group_first = (ino - 1) / ipg * ipg + 1;
        let first = group_first + (ino - group_first) / self.per_window * self.per_window;
        let end = (first + self.per_window)
            .min(group_first + ipg)
            .min(self.max_ino + 1);
        (first, end)
    }

    fn put(&mut self, sink: &mut Sink, ino: u32, bytes: &[u8]) -> Result<(), ExtError> {
        let (first, _) = self.window(ino);
        if first != self.first {
            self.flush(sink)?;
            self.first = first;
        }
        let at = (ino - self.first) as usize * self.isz;
        if self.bytes.len() < at + self.isz {
            self.bytes.resize(at + self.isz, 0);
        }
        self.bytes[at..at + self.isz].copy_from_slice(bytes);
        Ok(())
    }

    /// Writes the current window: every inode of it up to the highest used, padded to a block.
    fn flush(&mut self, sink: &mut Sink) -> Result<(), ExtError> {
        let (first, end) = self.window(self.first);
        let len =
            ((end - first) as usize * self.isz).next_multiple_of(self.geo.block_size as usize);
        self.bytes.resize(len, 0);
        let ipg = self.geo.inodes_per_group;
        let group = ((first - 1) / ipg) as usize;
        let within = u64::from((first - 1) % ipg) * self.isz as u64;
        let at = self.geo.offset(self.geo.groups[group].inode_table) + within;
        sink.bytes(at, &self.bytes)?;
        self.bytes.clear();
        Ok(())
    }
}

/// Renders the file system into `sink`, placing blocks as [`fits`] does.
pub fn render(
    inv: &Inventory,
    tree: &Tree,
    geo: &Geometry,
    id: &Identity,
    sink: &mut Sink,
) -> Result<(), ExtError> {
    let bs = inv.block_size as usize;
    let isz = inv.inode_size as usize;
    let extra = if isz > 128 { 32 } else { 0 };
    let features = &inv.features;
    let huge = features.has_ro_compat(RO_COMPAT_HUGE_FILE);
    let extents = features.has_incompat(INCOMPAT_EXTENTS);
    let ipg = geo.inodes_per_group as usize;
    let max_ino = inv.max_ino as usize;
    let mut placer = Placer::new(inv, geo);
    let mut table = Table::new(geo, isz, inv.max_ino);

    let mut journal_backup = None;
    let journal = placer.journal(geo);
    let mut dirs_per_group = vec![0u32; geo.groups.len()];
    if let Some(j) = &journal {
        let runs = [(0, geo.journal_blocks)];
        let (block, tree_blocks) = map_inode(features, JOURNAL_INO, j, &runs, bs, inv.csum_seed);
        let ind = Inode {
            mode: inode::S_IFREG | 0o600,
            size: geo.journal_blocks * bs as u64,
            atime: id.timestamp,
            ctime: id.timestamp,
            mtime: id.timestamp,
            crtime: id.timestamp,
            links: 1,
            sectors: sectors(
                geo.journal_blocks + tree_blocks.len() as u64,
                bs,
                huge,
                "journal",
            )?,
            flags: if extents { inode::EXTENTS_FL } else { 0 },
            block,
            ..Default::default()
        };
        journal_backup = Some((block, ind.size));
        let bytes = ind.encode(JOURNAL_INO, isz, extra, inv.csum_seed);
        table.put(sink, JOURNAL_INO, &bytes)?;
        for (addr, b) in tree_blocks {
            sink.bytes(geo.offset(addr), &b)?;
        }
        let first = j.extents.first().map(|e| e.physical).unwrap_or(0);
        let jsb = superblock::journal_superblock(inv.block_size, geo.journal_blocks, &id.uuid);
        sink.bytes(geo.offset(first), &jsb)?;
    }
    for rec in &inv.inodes {
        if render_inode(inv, tree, geo, &mut placer, &mut table, rec, sink)? {
            dirs_per_group[(rec.ino as usize - 1) / ipg] += 1;
        }
    }
    table.flush(sink)?;

    // Inode bitmaps, block bitmaps.
    let mut counts = vec![GroupCounts::default(); geo.groups.len()];
    let remaining = placer.alloc.remaining();
    let mut free_iter = remaining.iter().peekable();
    let bpg_bytes = geo.blocks_per_group as usize / 8;
    for (gi, g) in geo.groups.iter().enumerate() {
        let first = gi * ipg; // index of the group's first inode (inode number - 1)
        let used = max_ino.saturating_sub(first).min(ipg);
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
        sink.bytes(geo.offset(g.block_bitmap), &bbm)?;
        sink.bytes(geo.offset(g.inode_bitmap), &ibm)?;
    }

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
        sink.bytes(sb_at, &sb)?;
        sink.bytes(geo.offset(g.start + 1), &gdt)?;
    }
    Ok(())
}

/// Places and writes one inode: its table entry, map blocks, attribute block (for its first
/// user) and data. Returns whether it is a directory.
fn render_inode(
    inv: &Inventory,
    tree: &Tree,
    geo: &Geometry,
    placer: &mut Placer,
    table: &mut Table,
    rec: &InodeRec,
    sink: &mut Sink,
) -> Result<bool, ExtError> {
    let bs = inv.block_size as usize;
    let isz = inv.inode_size as usize;
    let extra = if isz > 128 { 32 } else { 0 };
    let features = &inv.features;
    let extents = features.has_incompat(INCOMPAT_EXTENTS);
    let huge = features.has_ro_compat(RO_COMPAT_HUGE_FILE);
    let (placed, xattr) = placer.inode(inv, rec);
    let d = inv.describe(tree, rec)?;
    let mut ind = d.inode;
    let runs = inv.runs(rec);
    let mut map_count = 0;
    let is_file = matches!(d.body, Body::File { .. });
    if !placed.extents.is_empty() || (extents && rec.node != NO_NODE && is_file) {
        let (block, map) = map_inode(features, rec.ino, &placed, &runs, bs, inv.csum_seed);
        ind.block = block;
        map_count = map.len() as u64;
        if extents {
            ind.flags |= inode::EXTENTS_FL;
        }
        for (addr, b) in map {
            sink.bytes(geo.offset(addr), &b)?;
        }
    }
    if let (Some((addr, first)), Some(block)) = (xattr, &d.xattr_block) {
        ind.file_acl = addr;
        if first {
            let refs = rec
                .xattr_block()
                .map(|x| inv.xattr_blocks[x].1)
                .unwrap_or(1);
            let mut b = block.clone();
            xattr::finish_block(&mut b, refs, addr, inv.csum_seed);
            sink.bytes(geo.offset(addr), &b)?;
        }
    }
    let total = rec.data_blocks + map_count + u64::from(xattr.is_some());
    ind.sectors = sectors(total, bs, huge, &format!("inode {}", rec.ino))?;
    table.put(
        sink,
        rec.ino,
        &ind.encode(rec.ino, isz, extra, inv.csum_seed),
    )?;
    match &d.body {
        Body::None => {}
        Body::Blocks(blocks) => {
            // Blocks are numbered logically from 0; extents say where each went.
            for e in &placed.extents {
                for k in 0..e.len {
                    sink.bytes(
                        geo.offset(e.physical + k),
                        &blocks[(e.logical + k) as usize],
                    )?;
                }
            }
        }
        Body::File { node, size } => {
            let mut rendered = 0;
            for e in &placed.extents {
                let start = e.logical * bs as u64;
                let end = ((e.logical + e.len) * bs as u64).min(*size);
                let mut off = start;
                while off < end {
                    let len = (end - off).min(MAX_ITEM);
                    sink.file(geo.offset(e.physical) + (off - start), *node, off, len)?;
                    sink.rendered(len);
                    rendered += len;
                    off += len;
                }
            }
            // Holes count too: the progress total is the files' sizes.
            sink.rendered(size.saturating_sub(rendered));
        }
    }
    Ok(d.is_dir)
}
