//! The superblock, the group descriptors and the journal superblock.

use super::geometry::{Geometry, FIRST_INO};
use super::hash::crc32c_raw;
use super::inventory::JOURNAL_INO;
use super::options::{
    Features, Options, COMPAT_HAS_JOURNAL, INCOMPAT_CSUM_SEED, INCOMPAT_FLEX_BG,
    RO_COMPAT_METADATA_CSUM,
};
use crate::model::Uuid;

pub const MAGIC: u16 = 0xEF53;
const BG_ITABLE_ZEROED: u16 = 0x4;

fn put16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_le_bytes());
}
fn put32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

/// Per-group counts the descriptors record.
#[derive(Debug, Clone, Copy, Default)]
pub struct GroupCounts {
    pub free_blocks: u32,
    pub free_inodes: u32,
    pub used_dirs: u32,
    /// Inodes at the end of the group's table never used.
    pub itable_unused: u32,
    pub block_bitmap_csum: u32,
    pub inode_bitmap_csum: u32,
}

pub struct SuperParams<'a> {
    pub geometry: &'a Geometry,
    pub features: Features,
    pub options: &'a Options,
    pub label: &'a str,
    pub uuid: Uuid,
    pub hash_seed: Uuid,
    pub timestamp: i64,
    pub free_blocks: u64,
    pub free_inodes: u64,
    /// The journal inode's block field and size, copied into the superblock as a backup.
    pub journal: Option<([u8; 60], u64)>,
}

/// The 1024-byte superblock; `group` is 0 for the primary, the group number for a backup.
pub fn superblock(p: &SuperParams, group: u32) -> Vec<u8> {
    let g = p.geometry;
    let mut b = vec![0u8; 1024];
    let ts = p.timestamp as u32;
    let ts_hi = (p.timestamp >> 32) as u8;
    put32(&mut b, 0x0, g.inodes_count() as u32);
    put32(&mut b, 0x4, g.blocks_count as u32);
    put32(&mut b, 0x8, g.reserved_blocks as u32);
    put32(&mut b, 0xC, p.free_blocks as u32);
    put32(&mut b, 0x10, p.free_inodes as u32);
    put32(&mut b, 0x14, g.first_data_block as u32);
    let log = g.block_size.trailing_zeros() - 10;
    put32(&mut b, 0x18, log);
    put32(&mut b, 0x1C, log);
    put32(&mut b, 0x20, g.blocks_per_group);
    put32(&mut b, 0x24, g.blocks_per_group);
    put32(&mut b, 0x28, g.inodes_per_group);
    put32(&mut b, 0x30, ts); // last write
    put16(&mut b, 0x36, 0xFFFF); // no mount-count checks
    put16(&mut b, 0x38, MAGIC);
    put16(&mut b, 0x3A, 1); // clean
    put16(&mut b, 0x3C, p.options.errors.unwrap_or(1));
    put32(&mut b, 0x40, ts); // last check
    put32(&mut b, 0x4C, 1); // dynamic revision
    put32(&mut b, 0x54, FIRST_INO);
    put16(&mut b, 0x58, g.inode_size as u16);
    put16(&mut b, 0x5A, group as u16);
    put32(&mut b, 0x5C, p.features.compat);
    put32(&mut b, 0x60, p.features.incompat);
    put32(&mut b, 0x64, p.features.ro_compat);
    b[0x68..0x78].copy_from_slice(&p.uuid.0);
    b[0x78..0x78 + p.label.len()].copy_from_slice(p.label.as_bytes());
    if let Some(m) = &p.options.last_mounted {
        b[0x88..0x88 + m.len()].copy_from_slice(m.as_bytes());
    }
    if p.features.has_compat(COMPAT_HAS_JOURNAL) {
        put32(&mut b, 0xE0, JOURNAL_INO);
    }
    b[0xEC..0xFC].copy_from_slice(&p.hash_seed.0);
    b[0xFC] = 1; // half_md4
    if let Some((block, size)) = &p.journal {
        b[0xFD] = 1; // journal blocks backed up in s_jnl_blocks
        b[0x10C..0x10C + 60].copy_from_slice(block);
        put32(&mut b, 0x10C + 60, (size >> 32) as u32);
        put32(&mut b, 0x10C + 64, *size as u32);
    }
    if g.desc_size == 64 {
        put16(&mut b, 0xFE, 64);
    }
    put32(&mut b, 0x100, 0x0C); // default mount options: user_xattr, acl
    put32(&mut b, 0x108, ts); // created
    put32(&mut b, 0x150, (g.blocks_count >> 32) as u32);
    put32(&mut b, 0x154, (g.reserved_blocks >> 32) as u32);
    put32(&mut b, 0x158, (p.free_blocks >> 32) as u32);
    if g.inode_size > 128 {
        put16(&mut b, 0x15C, 32);
        put16(&mut b, 0x15E, 32);
    }
    // Signed directory hash (as mke2fs on x86), optionally a test file system.
    put32(&mut b, 0x160, 1 | if p.options.test_fs { 4 } else { 0 });
    put16(&mut b, 0x164, p.options.stride.unwrap_or(0) as u16);
    put32(&mut b, 0x170, p.options.stripe_width.unwrap_or(0));
    if p.features.has_incompat(INCOMPAT_FLEX_BG) {
        b[0x174] = g.log_groups_per_flex as u8;
    }
    let csum = p.features.has_ro_compat(RO_COMPAT_METADATA_CSUM);
    if csum {
        b[0x175] = 1; // crc32c
    }
    if p.features.has_incompat(INCOMPAT_CSUM_SEED) {
        put32(&mut b, 0x270, crc32c_raw(!0, &p.uuid.0));
    }
    b[0x274] = ts_hi; // wtime
    b[0x276] = ts_hi; // mkfs time
    b[0x277] = ts_hi; // last check
    if csum {
        let c = crc32c_raw(!0, &b[..0x3FC]);
        put32(&mut b, 0x3FC, c);
    }
    b
}

/// The group descriptor table (all groups, padded to whole blocks).
pub fn descriptors(
    g: &Geometry,
    features: &Features,
    counts: &[GroupCounts],
    csum_seed: Option<u32>,
) -> Vec<u8> {
    let ds = g.desc_size as usize;
    let mut out = vec![0u8; g.gdt_blocks as usize * g.block_size as usize];
    let csum = features.has_ro_compat(RO_COMPAT_METADATA_CSUM);
    for (i, (m, c)) in g.groups.iter().zip(counts).enumerate() {
        let d = &mut out[i * ds..(i + 1) * ds];
        put32(d, 0x0, m.block_bitmap as u32);
        put32(d, 0x4, m.inode_bitmap as u32);
        put32(d, 0x8, m.inode_table as u32);
        put16(d, 0xC, c.free_blocks as u16);
        put16(d, 0xE, c.free_inodes as u16);
        put16(d, 0x10, c.used_dirs as u16);
        if csum {
            put16(d, 0x12, BG_ITABLE_ZEROED);
            put16(d, 0x18, c.block_bitmap_csum as u16);
            put16(d, 0x1A, c.inode_bitmap_csum as u16);
            put16(d, 0x1C, c.itable_unused as u16);
        }
        if ds == 64 {
            put32(d, 0x20, (m.block_bitmap >> 32) as u32);
            put32(d, 0x24, (m.inode_bitmap >> 32) as u32);
            put32(d, 0x28, (m.inode_table >> 32) as u32);
            put16(d, 0x2C, (c.free_blocks >> 16) as u16);
            put16(d, 0x2E, (c.free_inodes >> 16) as u16);
            put16(d, 0x30, (c.used_dirs >> 16) as u16);
            if csum {
                put16(d, 0x32, (c.itable_unused >> 16) as u16);
                put16(d, 0x38, (c.block_bitmap_csum >> 16) as u16);
                put16(d, 0x3A, (c.inode_bitmap_csum >> 16) as u16);
            }
        }
        if let (true, Some(seed)) = (csum, csum_seed) {
            let s = crc32c_raw(seed, &(i as u32).to_le_bytes());
            let s = crc32c_raw(s, d);
            put16(d, 0x1E, s as u16);
        }
    }
    out
}

/// An empty, clean jbd2 superblock (version 2) for an internal journal of `blocks` blocks.
pub fn journal_superblock(block_size: u32, blocks: u64, uuid: &Uuid) -> Vec<u8> {
    let mut b = vec![0u8; block_size as usize];
    let be = |b: &mut [u8], at: usize, v: u32| b[at..at + 4].copy_from_slice(&v.to_be_bytes());
    be(&mut b, 0x0, 0xC03B_3998);
    be(&mut b, 0x4, 4); // superblock v2
    be(&mut b, 0xC, block_size);
    be(&mut b, 0x10, blocks as u32);
    be(&mut b, 0x14, 1); // first log block
    be(&mut b, 0x18, 1); // first expected sequence
    b[0x30..0x40].copy_from_slice(&uuid.0);
    be(&mut b, 0x40, 1); // users
    b
}
