//! Where everything fixed goes: block size, groups, inodes per group, superblock backups,
//! bitmaps and inode tables (packed per flex group with flex_bg, inside each group without),
//! and the free space left for the journal and the content.

use std::collections::BTreeMap;

use super::options::{
    Features, Options, COMPAT_HAS_JOURNAL, INCOMPAT_64BIT, INCOMPAT_FLEX_BG, RO_COMPAT_SPARSE_SUPER,
};
use super::ExtError;

/// Inodes below this are reserved (1 bad blocks, 2 root, 7 resize, 8 journal, ...).
pub const FIRST_INO: u32 = 11;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupMeta {
    pub start: u64,
    /// Blocks in this group (the last one may be short).
    pub len: u64,
    pub has_super: bool,
    pub block_bitmap: u64,
    pub inode_bitmap: u64,
    pub inode_table: u64,
}

#[derive(Debug, Clone)]
pub struct Geometry {
    pub block_size: u32,
    pub blocks_count: u64,
    pub first_data_block: u64,
    pub blocks_per_group: u32,
    pub inodes_per_group: u32,
    pub inode_size: u32,
    pub desc_size: u32,
    pub gdt_blocks: u32,
    pub log_groups_per_flex: u32,
    pub groups: Vec<GroupMeta>,
    pub journal_blocks: u64,
    pub reserved_blocks: u64,
    /// Blocks not used by fixed metadata, as sorted [start, end) ranges.
    pub free: Vec<(u64, u64)>,
}

fn is_power_of(mut n: u64, base: u64) -> bool {
    while n > 1 && n.is_multiple_of(base) {
        n /= base;
    }
    n == 1
}

/// Whether group `g` carries a superblock and GDT copy.
pub fn has_super(g: u64, features: &Features) -> bool {
    if !features.has_ro_compat(RO_COMPAT_SPARSE_SUPER) {
        return true;
    }
    g <= 1 || is_power_of(g, 3) || is_power_of(g, 5) || is_power_of(g, 7)
}

/// mke2fs' default journal size in blocks for a file system of `blocks` blocks
/// (lib/ext2fs/mkjournal.c); `None` when too small for a journal.
pub fn default_journal_blocks(blocks: u64) -> Option<u64> {
    Some(match blocks {
        b if b < 2048 => return None,
        b if b < 32768 => 1024,
        b if b < 256 * 1024 => 4096,
        b if b < 512 * 1024 => 8192,
        b if b < 4096 * 1024 => 16384,
        b if b < 8192 * 1024 => 32768,
        b if b < 16384 * 1024 => 65536,
        b if b < 32768 * 1024 => 131072,
        _ => 262144,
    })
}

/// The block size used for a file system of `size` bytes.
pub fn block_size_for(options: &Options, size: u64) -> u32 {
    options
        .block_size
        .or(options.usage(size).block_size)
        .unwrap_or(4096)
}

/// Why a geometry cannot be made; `Small` means a bigger size may work.
#[derive(Debug)]
pub enum GeometryError {
    Small,
    Fatal(ExtError),
}

impl From<ExtError> for GeometryError {
    fn from(e: ExtError) -> Self {
        GeometryError::Fatal(e)
    }
}

fn lcm(a: u64, b: u64) -> u64 {
    fn gcd(a: u64, b: u64) -> u64 {
        if b == 0 {
            a
        } else {
            gcd(b, a % b)
        }
    }
    a / gcd(a, b) * b
}

impl Geometry {
    /// Lays out a file system of `size` bytes with at least `needed_inodes` inodes.
    pub fn new(
        size: u64,
        options: &Options,
        features: &Features,
        needed_inodes: u64,
    ) -> Result<Geometry, GeometryError> {
        let bs = block_size_for(options, size);
        let usage = options.usage(size);
        let inode_size = options.inode_size.or(usage.inode_size).unwrap_or(256);
        if inode_size > bs {
            return Err(ExtError::Option {
                option: format!("-I {inode_size}"),
                reason: format!("inode size cannot exceed the block size ({bs})"),
            }
            .into());
        }
        let first_data_block = u64::from(bs == 1024);
        let bpg = options.blocks_per_group.unwrap_or(bs * 8);
        if bpg > bs * 8 {
            return Err(ExtError::Option {
                option: format!("-g {bpg}"),
                reason: format!("at most {} blocks per group with {bs}-byte blocks", bs * 8),
            }
            .into());
        }
        let mut blocks = size / u64::from(bs);
        let is_64bit = features.has_incompat(INCOMPAT_64BIT);
        if blocks > u64::from(u32::MAX) && !is_64bit {
            return Err(ExtError::Option {
                option: "-O ^64bit".into(),
                reason: format!(
                    "{blocks} blocks of {bs} bytes need the 64bit feature (at most 2^32 without)"
                ),
            }
            .into());
        }
        blocks = blocks.min((1 << 48) - 1);
        let desc_size: u32 = if is_64bit { 64 } else { 32 };
        let ratio = options
            .inode_ratio
            .or(usage.inode_ratio)
            .unwrap_or(16384)
            .max(u64::from(bs));
        if let Some(n) = options.inode_count {
            if n < needed_inodes {
                return Err(ExtError::Option {
                    option: format!("-N {n}"),
                    reason: format!("the tree needs {needed_inodes} inodes"),
                }
                .into());
            }
        }
        let flex = if features.has_incompat(INCOMPAT_FLEX_BG) {
            options.flex_size.unwrap_or(16).max(1)
        } else {
            1
        };
        loop {
            if blocks < first_data_block + 64 {
                return Err(GeometryError::Small);
            }
            let ngroups = (blocks - first_data_block).div_ceil(u64::from(bpg));
            // Inodes: as mke2fs would make them, but never fewer than the tree needs unless
            // the count or ratio was given explicitly.
            let mut inodes = match options.inode_count {
                Some(n) => n,
                None => blocks * u64::from(bs) / ratio,
            };
            let explicit = options.inode_count.is_some() || options.inode_ratio.is_some();
            if !explicit {
                inodes = inodes.max(needed_inodes);
            }
            inodes = inodes.max(u64::from(FIRST_INO) + 1);
            let per_block = u64::from(bs / inode_size);
            let step = lcm(8, per_block);
            let max_ipg = (u64::from(bs) * 8).min(65536 - step) / step * step;
            let mut ipg = inodes.div_ceil(ngroups).div_ceil(step) * step;
            ipg = ipg.max(step.max(16));
            if ipg > max_ipg {
                if explicit && options.inode_count.is_some() {
                    return Err(ExtError::Option {
                        option: format!("-N {inodes}"),
                        reason: format!(
                            "too many inodes for {ngroups} block groups of {max_ipg} inodes"
                        ),
                    }
                    .into());
                }
                ipg = max_ipg;
            }
            if ipg * ngroups > u64::from(u32::MAX) {
                ipg = u64::from(u32::MAX) / ngroups / step * step;
            }
            if ipg * ngroups < needed_inodes {
                return Err(GeometryError::Small);
            }
            let itable_blocks = (ipg * u64::from(inode_size)).div_ceil(u64::from(bs));
            let gdt_blocks = (ngroups * u64::from(desc_size)).div_ceil(u64::from(bs));
            // A last group too small for its own metadata is dropped, as mke2fs does.
            let last = ngroups - 1;
            let rem = (blocks - first_data_block) % u64::from(bpg);
            let overhead = 3
                + itable_blocks
                + if has_super(last, features) {
                    1 + gdt_blocks
                } else {
                    0
                };
            if rem != 0 && rem < overhead + 50 && ngroups > 1 {
                blocks -= rem;
                continue;
            }
            if ngroups == 1 && blocks - first_data_block < overhead + 16 {
                return Err(GeometryError::Small);
            }
            return Self::place(
                bs,
                blocks,
                first_data_block,
                bpg,
                ipg as u32,
                inode_size,
                itable_blocks as u32,
                desc_size,
                gdt_blocks as u32,
                flex,
                options,
                features,
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn place(
        bs: u32,
        blocks: u64,
        first_data_block: u64,
        bpg: u32,
        ipg: u32,
        inode_size: u32,
        itable_blocks: u32,
        desc_size: u32,
        gdt_blocks: u32,
        flex: u32,
        options: &Options,
        features: &Features,
    ) -> Result<Geometry, GeometryError> {
        let ngroups = (blocks - first_data_block).div_ceil(u64::from(bpg));
        let mut used = Used::default();
        let mut groups = Vec::with_capacity(ngroups as usize);
        for g in 0..ngroups {
            let start = first_data_block + g * u64::from(bpg);
            let len = u64::from(bpg).min(blocks - start);
            let sup = has_super(g, features);
            if sup {
                used.insert(start, start + 1 + u64::from(gdt_blocks));
            }
            groups.push(GroupMeta {
                start,
                len,
                has_super: sup,
                block_bitmap: 0,
                inode_bitmap: 0,
                inode_table: 0,
            });
        }
        let flex = u64::from(flex);
        if flex > 1 {
            // All bitmaps and tables of a flex group sit together, from its first group on.
            for leader in (0..ngroups).step_by(flex as usize) {
                let members = leader..(leader + flex).min(ngroups);
                let mut cursor = groups[leader as usize].start;
                for g in members.clone() {
                    let b = used
                        .first_fit(cursor, 1, blocks)
                        .ok_or(GeometryError::Small)?;
                    used.insert(b, b + 1);
                    groups[g as usize].block_bitmap = b;
                    cursor = b + 1;
                }
                for g in members.clone() {
                    let b = used
                        .first_fit(cursor, 1, blocks)
                        .ok_or(GeometryError::Small)?;
                    used.insert(b, b + 1);
                    groups[g as usize].inode_bitmap = b;
                    cursor = b + 1;
                }
                for g in members {
                    let n = u64::from(itable_blocks);
                    let b = used
                        .first_fit(cursor, n, blocks)
                        .ok_or(GeometryError::Small)?;
                    used.insert(b, b + n);
                    groups[g as usize].inode_table = b;
                    cursor = b + n;
                }
            }
        } else {
            for g in groups.iter_mut() {
                let mut b = g.start
                    + if g.has_super {
                        1 + u64::from(gdt_blocks)
                    } else {
                        0
                    };
                g.block_bitmap = b;
                g.inode_bitmap = b + 1;
                g.inode_table = b + 2;
                b += 2 + u64::from(itable_blocks);
                if b > g.start + g.len {
                    return Err(GeometryError::Small);
                }
                used.insert(g.block_bitmap, b);
            }
        }
        let free = used.complement(first_data_block, blocks);
        let journal_blocks = if features.has_compat(COMPAT_HAS_JOURNAL) {
            match options.journal_mib {
                Some(mib) => mib * 1024 * 1024 / u64::from(bs),
                // mke2fs drops the journal below 2048 blocks; a journal was asked for, so
                // such a size counts as too small instead.
                None => default_journal_blocks(blocks).ok_or(GeometryError::Small)?,
            }
        } else {
            0
        };
        let reserved_blocks =
            (options.reserved_percent.unwrap_or(5.0) * blocks as f64 / 100.0) as u64;
        Ok(Geometry {
            block_size: bs,
            blocks_count: blocks,
            first_data_block,
            blocks_per_group: bpg,
            inodes_per_group: ipg,
            inode_size,
            desc_size,
            gdt_blocks,
            log_groups_per_flex: flex.trailing_zeros(),
            groups,
            journal_blocks,
            reserved_blocks,
            free,
        })
    }

    pub fn inodes_count(&self) -> u64 {
        u64::from(self.inodes_per_group) * self.groups.len() as u64
    }

    /// Byte offset of a block.
    pub fn offset(&self, block: u64) -> u64 {
        block * u64::from(self.block_size)
    }
}

/// Disjoint [start, end) block ranges in use.
#[derive(Default)]
struct Used(BTreeMap<u64, u64>);

impl Used {
    fn insert(&mut self, start: u64, end: u64) {
        self.0.insert(start, end);
    }

    /// The first block at or after `from` starting `n` free blocks below `limit`.
    fn first_fit(&self, from: u64, n: u64, limit: u64) -> Option<u64> {
        let mut c = from;
        // A range starting before `from` may cover it.
        if let Some((_, &e)) = self.0.range(..=c).next_back() {
            c = c.max(e);
        }
        for (&s, &e) in self.0.range(c..) {
            if s >= c + n {
                break;
            }
            c = c.max(e);
        }
        (c + n <= limit).then_some(c)
    }

    fn complement(&self, from: u64, to: u64) -> Vec<(u64, u64)> {
        let mut out = Vec::new();
        let mut c = from;
        for (&s, &e) in &self.0 {
            if s > c {
                out.push((c, s.min(to)));
            }
            c = c.max(e);
        }
        if c < to {
            out.push((c, to));
        }
        out.retain(|(s, e)| s < e);
        out
    }
}

/// Hands out free blocks in order, first come first served: content laid out in tree order
/// stays contiguous except where fixed metadata interrupts it.
#[derive(Debug, Clone)]
pub struct Allocator {
    free: Vec<(u64, u64)>,
    index: usize,
    next: u64,
    /// Blocks asked for beyond the end (to tell how much is missing).
    pub overflow: u64,
}

impl Allocator {
    pub fn new(free: &[(u64, u64)]) -> Self {
        Allocator {
            next: free.first().map(|r| r.0).unwrap_or(0),
            free: free.to_vec(),
            index: 0,
            overflow: 0,
        }
    }

    /// `n` blocks as runs (start, len), in order. When space runs out the rest is counted in
    /// `overflow` and the runs returned are short.
    pub fn alloc(&mut self, mut n: u64) -> Vec<(u64, u64)> {
        let mut out: Vec<(u64, u64)> = Vec::new();
        while n > 0 {
            let Some(&(_, end)) = self.free.get(self.index) else {
                self.overflow += n;
                break;
            };
            let take = n.min(end - self.next);
            if take > 0 {
                match out.last_mut() {
                    Some(last) if last.0 + last.1 == self.next => last.1 += take,
                    _ => out.push((self.next, take)),
                }
                self.next += take;
                n -= take;
            }
            if self.next == end {
                self.index += 1;
                if let Some(&(s, _)) = self.free.get(self.index) {
                    self.next = s;
                }
            }
        }
        out
    }

    /// Free ranges not handed out.
    pub fn remaining(&self) -> Vec<(u64, u64)> {
        let mut out = Vec::new();
        if let Some(&(_, e)) = self.free.get(self.index) {
            if self.next < e {
                out.push((self.next, e));
            }
            out.extend_from_slice(&self.free[self.index + 1..]);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::ext::ExtKind;

    fn opts(kind: ExtKind, args: &[&str]) -> Options {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        Options::parse(kind, &args).unwrap()
    }

    #[test]
    fn sparse_super_groups() {
        let f = Features::defaults(ExtKind::Ext4);
        let with: Vec<u64> = (0..50).filter(|g| has_super(*g, &f)).collect();
        assert_eq!(with, vec![0, 1, 3, 5, 7, 9, 25, 27, 49]);
    }

    #[test]
    fn ext4_layout_is_disjoint_and_inside() {
        for (size, args) in [
            (600u64 << 20, &[][..]),
            (64 << 20, &[][..]),
            (2 << 20, &[][..]),
            (5 << 30, &["-O", "^64bit,^metadata_csum"][..]),
        ] {
            let o = opts(ExtKind::Ext4, args);
            let g = Geometry::new(size, &o, &o.features, 100).unwrap();
            let mut ranges: Vec<(u64, u64)> = Vec::new();
            for m in &g.groups {
                ranges.push((m.block_bitmap, m.block_bitmap + 1));
                ranges.push((m.inode_bitmap, m.inode_bitmap + 1));
                ranges.push((
                    m.inode_table,
                    m.inode_table + u64::from(g.inodes_per_group * g.inode_size / g.block_size),
                ));
                if m.has_super {
                    ranges.push((m.start, m.start + 1 + u64::from(g.gdt_blocks)));
                }
            }
            ranges.extend(g.free.iter().copied());
            ranges.sort();
            let mut c = g.first_data_block;
            for (s, e) in ranges {
                assert_eq!(s, c, "gap or overlap at {s} ({size} bytes)");
                c = e;
            }
            assert_eq!(c, g.blocks_count);
        }
    }

    #[test]
    fn allocator_skips_metadata() {
        let mut a = Allocator::new(&[(10, 12), (20, 30)]);
        assert_eq!(a.alloc(3), vec![(10, 2), (20, 1)]);
        assert_eq!(a.alloc(9), vec![(21, 9)]);
        assert_eq!(a.alloc(2), vec![]);
        assert_eq!(a.overflow, 2);
        assert_eq!(a.remaining(), vec![]);
    }
}
