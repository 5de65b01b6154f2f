//! Inodes on disk and how they map file blocks: extent trees (ext4) or direct/indirect block
//! maps (ext2/ext3).

use std::collections::BTreeMap;

use super::hash::{crc32c_raw, inode_seed};

pub const EXTENTS_FL: u32 = 0x0008_0000;
pub const INDEX_FL: u32 = 0x0000_1000;
pub const S_IFDIR: u16 = 0o040000;
pub const S_IFREG: u16 = 0o100000;
pub const S_IFLNK: u16 = 0o120000;
pub const S_IFCHR: u16 = 0o020000;
pub const S_IFBLK: u16 = 0o060000;
pub const S_IFIFO: u16 = 0o010000;
pub const S_IFSOCK: u16 = 0o140000;

/// Longest run one extent can describe.
pub const MAX_EXTENT_LEN: u64 = 32768;
const EXT_MAGIC: u16 = 0xF30A;

#[derive(Debug, Clone)]
pub struct Inode {
    pub mode: u16,
    pub uid: u32,
    pub gid: u32,
    pub size: u64,
    pub atime: i64,
    pub ctime: i64,
    pub mtime: i64,
    pub crtime: i64,
    pub links: u16,
    /// In 512-byte units.
    pub sectors: u64,
    pub flags: u32,
    pub block: [u8; 60],
    pub file_acl: u64,
    /// In-inode extended attributes (magic, entries, values).
    pub xattrs: Option<Vec<u8>>,
}

impl Default for Inode {
    fn default() -> Self {
        Inode {
            mode: 0,
            uid: 0,
            gid: 0,
            size: 0,
            atime: 0,
            ctime: 0,
            mtime: 0,
            crtime: 0,
            links: 0,
            sectors: 0,
            flags: 0,
            block: [0; 60],
            file_acl: 0,
            xattrs: None,
        }
    }
}

/// Low 32 bits and the two epoch bits of the extra field (nanoseconds stay 0).
fn time_parts(t: i64) -> (u32, u32) {
    let lo = t as i32;
    let epoch = ((t - i64::from(lo)) >> 32) as u32 & 3;
    (lo as u32, epoch)
}

fn put16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_le_bytes());
}
fn put32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

impl Inode {
    /// The on-disk bytes of inode `ino` (generation 0). `extra_isize` is 0 for 128-byte
    /// inodes; `csum_seed` is the file system's checksum seed with metadata_csum.
    pub fn encode(
        &self,
        ino: u32,
        inode_size: usize,
        extra_isize: usize,
        csum_seed: Option<u32>,
    ) -> Vec<u8> {
        let mut b = vec![0u8; inode_size];
        put16(&mut b, 0x0, self.mode);
        put16(&mut b, 0x2, self.uid as u16);
        put32(&mut b, 0x4, self.size as u32);
        put32(&mut b, 0x8, time_parts(self.atime).0);
        put32(&mut b, 0xC, time_parts(self.ctime).0);
        put32(&mut b, 0x10, time_parts(self.mtime).0);
        put16(&mut b, 0x18, self.gid as u16);
        put16(&mut b, 0x1A, self.links);
        put32(&mut b, 0x1C, self.sectors as u32);
        put32(&mut b, 0x20, self.flags);
        b[0x28..0x64].copy_from_slice(&self.block);
        put32(&mut b, 0x68, self.file_acl as u32);
        put32(&mut b, 0x6C, (self.size >> 32) as u32);
        put16(&mut b, 0x74, (self.sectors >> 32) as u16);
        put16(&mut b, 0x76, (self.file_acl >> 32) as u16);
        put16(&mut b, 0x78, (self.uid >> 16) as u16);
        put16(&mut b, 0x7A, (self.gid >> 16) as u16);
        if extra_isize >= 24 {
            put16(&mut b, 0x80, extra_isize as u16);
            put32(&mut b, 0x84, time_parts(self.ctime).1);
            put32(&mut b, 0x88, time_parts(self.mtime).1);
            put32(&mut b, 0x8C, time_parts(self.atime).1);
            put32(&mut b, 0x90, time_parts(self.crtime).0);
            put32(&mut b, 0x94, time_parts(self.crtime).1);
        }
        if let Some(x) = &self.xattrs {
            let at = 128 + extra_isize;
            b[at..at + x.len()].copy_from_slice(x);
        }
        if let Some(seed) = csum_seed {
            let c = crc32c_raw(inode_seed(seed, ino, 0), &b);
            put16(&mut b, 0x7C, c as u16);
            if extra_isize >= 4 {
                put16(&mut b, 0x82, (c >> 16) as u16);
            }
        }
        b
    }
}

/// The block field of a device inode (old encoding when both numbers fit a byte).
pub fn device_block(major: u32, minor: u32) -> [u8; 60] {
    let mut b = [0u8; 60];
    if major < 256 && minor < 256 {
        put32(&mut b, 0, (major << 8) | minor);
    } else {
        put32(
            &mut b,
            4,
            (minor & 0xff) | (major << 8) | ((minor & !0xff) << 12),
        );
    }
    b
}

/// One extent: logical block, physical block, length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Extent {
    pub logical: u64,
    pub physical: u64,
    pub len: u64,
}

/// Splits runs into extents of at most 32768 blocks.
pub fn to_extents(runs: &[Extent]) -> Vec<Extent> {
    let mut out = Vec::new();
    for r in runs {
        let mut done = 0;
        while done < r.len {
            let len = (r.len - done).min(MAX_EXTENT_LEN);
            out.push(Extent {
                logical: r.logical + done,
                physical: r.physical + done,
                len,
            });
            done += len;
        }
    }
    out
}

fn extents_per_block(bs: usize) -> usize {
    (bs - 12) / 12
}

/// Blocks an extent tree of `n` extents needs outside the inode.
pub fn extent_tree_blocks(n: usize, bs: usize) -> u64 {
    if n <= 4 {
        return 0;
    }
    let per = extents_per_block(bs);
    let mut level = n.div_ceil(per);
    let mut total = level;
    while level > 4 {
        level = level.div_ceil(per);
        total += level;
    }
    total as u64
}

fn header(b: &mut [u8], entries: usize, max: usize, depth: u16) {
    put16(b, 0, EXT_MAGIC);
    put16(b, 2, entries as u16);
    put16(b, 4, max as u16);
    put16(b, 6, depth);
}

fn put_extent(b: &mut [u8], at: usize, e: &Extent) {
    put32(b, at, e.logical as u32);
    put16(b, at + 4, e.len as u16);
    put16(b, at + 6, (e.physical >> 32) as u16);
    put32(b, at + 8, e.physical as u32);
}

fn put_index(b: &mut [u8], at: usize, logical: u64, child: u64) {
    put32(b, at, logical as u32);
    put32(b, at + 4, child as u32);
    put16(b, at + 8, (child >> 32) as u16);
}

/// An extent tree: the inode's block field, and the tree blocks at the given addresses
/// (`tree` holds exactly [`extent_tree_blocks`] block numbers).
pub fn build_extent_tree(
    extents: &[Extent],
    tree: &[u64],
    bs: usize,
    ino: u32,
    csum_seed: Option<u32>,
) -> ([u8; 60], Vec<(u64, Vec<u8>)>) {
    let mut root = [0u8; 60];
    if extents.len() <= 4 {
        header(&mut root, extents.len(), 4, 0);
        for (i, e) in extents.iter().enumerate() {
            put_extent(&mut root, 12 + i * 12, e);
        }
        return (root, Vec::new());
    }
    let per = extents_per_block(bs);
    let seal = |b: &mut Vec<u8>| {
        if let Some(seed) = csum_seed {
            let end = 12 + per * 12;
            let c = crc32c_raw(inode_seed(seed, ino, 0), &b[..end]);
            put32(b, end, c);
        }
    };
    let mut out = Vec::new();
    let mut next = tree.iter().copied();
    // Each level: (first logical block, block number) of its nodes.
    let mut level: Vec<(u64, u64)> = Vec::new();
    for chunk in extents.chunks(per) {
        let addr = next.next().unwrap_or(0);
        let mut b = vec![0u8; bs];
        header(&mut b, chunk.len(), per, 0);
        for (i, e) in chunk.iter().enumerate() {
            put_extent(&mut b, 12 + i * 12, e);
        }
        seal(&mut b);
        out.push((addr, b));
        level.push((chunk[0].logical, addr));
    }
    let mut depth = 1u16;
    while level.len() > 4 {
        let mut up = Vec::new();
        for chunk in level.chunks(per) {
            let addr = next.next().unwrap_or(0);
            let mut b = vec![0u8; bs];
            header(&mut b, chunk.len(), per, depth);
            for (i, (logical, child)) in chunk.iter().enumerate() {
                put_index(&mut b, 12 + i * 12, *logical, *child);
            }
            seal(&mut b);
            out.push((addr, b));
            up.push((chunk[0].0, addr));
        }
        level = up;
        depth += 1;
    }
    header(&mut root, level.len(), 4, depth);
    for (i, (logical, child)) in level.iter().enumerate() {
        put_index(&mut root, 12 + i * 12, *logical, *child);
    }
    (root, out)
}

/// Indirect blocks of a block map, named by kind and index: 1 single indirect, 2 double
/// root, 3 double leaf i, 4 triple root, 5 triple middle i, 6 triple leaf i.
type MapKey = (u8, u64);

fn map_keys(logical: u64, p: u64) -> Vec<MapKey> {
    let d = 12;
    let s = d + p;
    let dd = s + p * p;
    if logical < d {
        vec![]
    } else if logical < s {
        vec![(1, 0)]
    } else if logical < dd {
        vec![(2, 0), (3, (logical - s) / p)]
    } else {
        let r = logical - dd;
        vec![(4, 0), (5, r / (p * p)), (6, r / p)]
    }
}

/// The indirect blocks a block map over these logical runs (start, len) needs, in order.
pub fn block_map_keys(runs: &[(u64, u64)], bs: usize) -> Vec<MapKey> {
    let p = (bs / 4) as u64;
    let mut keys = std::collections::BTreeSet::new();
    for &(start, len) in runs {
        // Every block of a leaf's span maps to the same keys: step by leaf spans.
        let mut l = start;
        let end = start + len;
        while l < end {
            for k in map_keys(l, p) {
                keys.insert(k);
            }
            let next = if l < 12 {
                12
            } else {
                let base = if l < 12 + p {
                    12
                } else if l < 12 + p + p * p {
                    12 + p
                } else {
                    12 + p + p * p
                };
                base + ((l - base) / p + 1) * p
            };
            l = next.max(l + 1);
        }
    }
    keys.into_iter().collect()
}

/// Largest file (in blocks) a block map can describe.
pub fn block_map_limit(bs: usize) -> u64 {
    let p = (bs / 4) as u64;
    12 + p + p * p + p * p * p
}

/// A block map: the inode's block field and the indirect blocks (addresses given in
/// [`block_map_keys`] order).
pub fn build_block_map(
    extents: &[Extent],
    keys: &[MapKey],
    addrs: &[u64],
    bs: usize,
) -> ([u8; 60], Vec<(u64, Vec<u8>)>) {
    let p = (bs / 4) as u64;
    let addr: BTreeMap<MapKey, u64> = keys.iter().copied().zip(addrs.iter().copied()).collect();
    let mut blocks: BTreeMap<MapKey, Vec<u8>> = keys.iter().map(|k| (*k, vec![0u8; bs])).collect();
    let mut root = [0u8; 60];
    let set = |blocks: &mut BTreeMap<MapKey, Vec<u8>>, key: MapKey, slot: u64, value: u64| {
        if let Some(b) = blocks.get_mut(&key) {
            put32(b, (slot * 4) as usize, value as u32);
        }
    };
    let get = |k: MapKey| addr.get(&k).copied().unwrap_or(0);
    for e in extents {
        for i in 0..e.len {
            let l = e.logical + i;
            let phys = e.physical + i;
            if l < 12 {
                put32(&mut root, (l * 4) as usize, phys as u32);
            } else if l < 12 + p {
                set(&mut blocks, (1, 0), l - 12, phys);
            } else if l < 12 + p + p * p {
                let r = l - 12 - p;
                set(&mut blocks, (3, r / p), r % p, phys);
                set(&mut blocks, (2, 0), r / p, get((3, r / p)));
            } else {
                let r = l - 12 - p - p * p;
                set(&mut blocks, (6, r / p), r % p, phys);
                set(&mut blocks, (5, r / (p * p)), (r / p) % p, get((6, r / p)));
                set(&mut blocks, (4, 0), r / (p * p), get((5, r / (p * p))));
            }
        }
    }
    for (kind, slot) in [(1u8, 12usize), (2, 13), (4, 14)] {
        if let Some(a) = addr.get(&(kind, 0)) {
            put32(&mut root, slot * 4, *a as u32);
        }
    }
    let out = blocks
        .into_iter()
        .map(|(k, b)| (addr.get(&k).copied().unwrap_or(0), b))
        .collect();
    (root, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_beyond_2038_use_epoch_bits() {
        assert_eq!(time_parts(0), (0, 0));
        assert_eq!(time_parts(-1), (u32::MAX, 0));
        assert_eq!(time_parts(1 << 31), ((1u64 << 31) as u32, 1));
    }

    #[test]
    fn extent_tree_sizes() {
        assert_eq!(extent_tree_blocks(4, 4096), 0);
        assert_eq!(extent_tree_blocks(5, 4096), 1);
        assert_eq!(extent_tree_blocks(340 * 4, 4096), 4);
        assert_eq!(extent_tree_blocks(340 * 4 + 1, 4096), 6);
        let ext: Vec<Extent> = (0..10)
            .map(|i| Extent {
                logical: i * 10,
                physical: 1000 + i * 10,
                len: 5,
            })
            .collect();
        let (root, blocks) = build_extent_tree(&ext, &[77], 1024, 12, Some(1));
        assert_eq!(u16::from_le_bytes([root[6], root[7]]), 1);
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].0, 77);
    }

    #[test]
    fn block_map_keys_cover_indirect_levels() {
        let p = 256u64; // 1 KiB blocks
        assert_eq!(block_map_keys(&[(0, 12)], 1024), vec![]);
        assert_eq!(block_map_keys(&[(0, 13)], 1024), vec![(1, 0)]);
        let k = block_map_keys(&[(12 + p, 2 * p)], 1024);
        assert_eq!(k, vec![(2, 0), (3, 0), (3, 1)]);
        let k = block_map_keys(&[(12 + p + p * p, 1)], 1024);
        assert_eq!(k, vec![(4, 0), (5, 0), (6, 0)]);
    }
}
