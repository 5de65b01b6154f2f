//! Directory blocks: linear entries when they fit one block (or without dir_index), a hashed
//! index (htree) otherwise, with the checksum tails of metadata_csum.

use super::hash::{crc32c_raw, dir_hash};
use super::ExtError;

pub const FT_REG: u8 = 1;
pub const FT_DIR: u8 = 2;
pub const FT_CHR: u8 = 3;
pub const FT_BLK: u8 = 4;
pub const FT_FIFO: u8 = 5;
pub const FT_SOCK: u8 = 6;
pub const FT_SYMLINK: u8 = 7;

const TAIL: usize = 12;
const DX_TAIL: usize = 8;

/// How directories are encoded in this file system.
#[derive(Debug, Clone, Copy)]
pub struct DirFormat {
    pub block_size: usize,
    pub filetype: bool,
    /// The htree hash seed, when dir_index is on.
    pub index_seed: Option<[u32; 4]>,
    /// Indirect levels the htree may use (1 normally, 2 with large_dir).
    pub max_levels: u8,
    pub csum: bool,
}

pub struct DirEntry<'a> {
    pub name: &'a [u8],
    pub ino: u32,
    pub file_type: u8,
}

pub struct DirBlocks {
    pub blocks: Vec<Vec<u8>>,
    /// Hash-indexed (the inode needs EXT4_INDEX_FL).
    pub indexed: bool,
}

fn rec_size(name_len: usize) -> usize {
    (8 + name_len).next_multiple_of(4)
}

/// Fills blocks with entries in the order given.
struct Packer<'f> {
    fmt: &'f DirFormat,
    blocks: Vec<Vec<u8>>,
    cur: Vec<u8>,
    /// Offset of the last entry in `cur`, to stretch its rec_len at the end.
    last: Option<usize>,
}

impl<'f> Packer<'f> {
    fn new(fmt: &'f DirFormat) -> Self {
        Packer {
            fmt,
            blocks: Vec::new(),
            cur: Vec::with_capacity(fmt.block_size),
            last: None,
        }
    }

    fn capacity(&self) -> usize {
        self.fmt.block_size - if self.fmt.csum { TAIL } else { 0 }
    }

    fn fits(&self, name_len: usize) -> bool {
        self.cur.len() + rec_size(name_len) <= self.capacity()
    }

    fn push(&mut self, name: &[u8], ino: u32, file_type: u8) {
        if !self.fits(name.len()) {
            self.finish_block();
        }
        let at = self.cur.len();
        let size = rec_size(name.len());
        self.cur.extend_from_slice(&ino.to_le_bytes());
        self.cur.extend_from_slice(&(size as u16).to_le_bytes());
        self.cur.push(name.len() as u8);
        self.cur.push(if self.fmt.filetype { file_type } else { 0 });
        self.cur.extend_from_slice(name);
        self.cur.resize(at + size, 0);
        self.last = Some(at);
    }

    fn finish_block(&mut self) {
        let cap = self.capacity();
        let mut block = std::mem::take(&mut self.cur);
        match self.last.take() {
            Some(at) => {
                let len = (cap - at) as u16;
                block[at + 4..at + 6].copy_from_slice(&len.to_le_bytes());
            }
            None => {
                // An empty block: one unused entry spanning it.
                block.extend_from_slice(&0u32.to_le_bytes());
                block.extend_from_slice(&(cap as u16).to_le_bytes());
            }
        }
        block.resize(self.fmt.block_size, 0);
        self.blocks.push(block);
        self.cur = Vec::with_capacity(self.fmt.block_size);
    }

    fn finish(mut self) -> Vec<Vec<u8>> {
        if !self.cur.is_empty() || self.blocks.is_empty() {
            self.finish_block();
        }
        self.blocks
    }
}

fn put_u32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

/// Adds the checksum tail of a leaf block.
fn seal_leaf(block: &mut [u8], seed: u32) {
    let bs = block.len();
    let t = bs - TAIL;
    block[t..t + 4].fill(0);
    block[t + 4..t + 6].copy_from_slice(&(TAIL as u16).to_le_bytes());
    block[t + 6] = 0;
    block[t + 7] = 0xDE;
    let c = crc32c_raw(seed, &block[..t]);
    put_u32(block, t + 8, c);
}

/// Adds the checksum of an index block whose count/limit sits at `count_offset`.
fn seal_index(block: &mut [u8], count_offset: usize, limit: usize, count: usize, seed: u32) {
    let tail = count_offset + limit * 8;
    block[tail..tail + 8].fill(0);
    let c = crc32c_raw(seed, &block[..count_offset + count * 8]);
    let c = crc32c_raw(c, &block[tail..tail + 4]);
    let c = crc32c_raw(c, &[0u8; 4]);
    put_u32(block, tail + 4, c);
}

/// Builds the blocks of a directory. `entries` excludes `.` and `..`; `min_blocks` pads a
/// linear directory (lost+found is made 16 KiB, as mke2fs does). `csum_seed` is the
/// directory inode's checksum seed when metadata_csum is on.
pub fn build(
    fmt: &DirFormat,
    ino: u32,
    parent: u32,
    entries: &[DirEntry],
    min_blocks: usize,
    csum_seed: u32,
    path: &str,
) -> Result<DirBlocks, ExtError> {
    let bs = fmt.block_size;
    let cap = bs - if fmt.csum { TAIL } else { 0 };
    let linear_bytes: usize = 24
        + entries
            .iter()
            .map(|e| rec_size(e.name.len()))
            .sum::<usize>();
    let seed = fmt.index_seed.filter(|_| linear_bytes > cap);
    let Some(seed) = seed else {
        let mut p = Packer::new(fmt);
        p.push(b".", ino, FT_DIR);
        p.push(b"..", parent, FT_DIR);
        for e in entries {
            p.push(e.name, e.ino, e.file_type);
        }
        let mut blocks = p.finish();
        while blocks.len() < min_blocks {
            let empty = Packer::new(fmt).finish();
            blocks.extend(empty);
        }
        if fmt.csum {
            for b in &mut blocks {
                seal_leaf(b, csum_seed);
            }
        }
        return Ok(DirBlocks {
            blocks,
            indexed: false,
        });
    };

    // Leaves: entries in hash order, packed full.
    let mut hashed: Vec<(u32, u32, &DirEntry)> = entries
        .iter()
        .map(|e| {
            let (h, minor) = dir_hash(e.name, &seed);
            (h, minor, e)
        })
        .collect();
    hashed.sort_by(|a, b| (a.0, a.1, a.2.name).cmp(&(b.0, b.1, b.2.name)));
    let mut leaves: Vec<Vec<u8>> = Vec::new();
    // The hash each leaf starts at, with bit 0 set when it continues the previous leaf's
    // last hash (a collision run split across blocks).
    let mut leaf_hash: Vec<u32> = Vec::new();
    let mut p = Packer::new(fmt);
    let mut prev_hash = None;
    for (h, _, e) in &hashed {
        if p.cur.is_empty() || !p.fits(e.name.len()) {
            if !p.cur.is_empty() {
                p.finish_block();
            }
            leaf_hash.push(if prev_hash == Some(*h) { h | 1 } else { *h });
        }
        p.push(e.name, e.ino, e.file_type);
        prev_hash = Some(*h);
    }
    leaves.extend(p.finish());
    if fmt.csum {
        for b in &mut leaves {
            seal_leaf(b, csum_seed);
        }
    }
    let dx_tail = if fmt.csum { DX_TAIL } else { 0 };
    let root_limit = (bs - 32 - dx_tail) / 8;
    let node_limit = (bs - 8 - dx_tail) / 8;
    let n = leaves.len();
    let levels: u8 = if n <= root_limit {
        0
    } else if n <= root_limit * node_limit && fmt.max_levels >= 1 {
        1
    } else {
        return Err(ExtError::Content {
            path: path.to_string(),
            reason: format!(
                "the directory has {} entries, too many for a two-level hashed index with \
                 {bs}-byte blocks; split it or use larger blocks",
                entries.len()
            ),
        });
    };
    // Logical blocks: root, then index nodes, then leaves.
    let nodes = if levels == 0 {
        0
    } else {
        n.div_ceil(node_limit)
    };
    let first_leaf = 1 + nodes;
    let write_entries =
        |block: &mut Vec<u8>, count_offset: usize, limit: usize, refs: &[(u32, u32)]| {
            block[count_offset..count_offset + 2].copy_from_slice(&(limit as u16).to_le_bytes());
            block[count_offset + 2..count_offset + 4]
                .copy_from_slice(&(refs.len() as u16).to_le_bytes());
            put_u32(block, count_offset + 4, refs[0].1);
            for (i, (hash, blk)) in refs.iter().enumerate().skip(1) {
                put_u32(block, count_offset + i * 8, *hash);
                put_u32(block, count_offset + i * 8 + 4, *blk);
            }
        };
    let mut root = vec![0u8; bs];
    put_u32(&mut root, 0, ino);
    root[4..6].copy_from_slice(&12u16.to_le_bytes());
    root[6] = 1;
    root[7] = if fmt.filetype { FT_DIR } else { 0 };
    root[8] = b'.';
    put_u32(&mut root, 12, parent);
    root[16..18].copy_from_slice(&((bs - 12) as u16).to_le_bytes());
    root[18] = 2;
    root[19] = if fmt.filetype { FT_DIR } else { 0 };
    root[20] = b'.';
    root[21] = b'.';
    // dx_root_info: reserved, hash version (half_md4), info length, levels, flags.
    root[28] = 1;
    root[29] = 8;
    root[30] = levels;
    let mut index_blocks = Vec::new();
    if levels == 0 {
        let refs: Vec<(u32, u32)> = (0..n)
            .map(|i| (leaf_hash[i], (first_leaf + i) as u32))
            .collect();
        write_entries(&mut root, 32, root_limit, &refs);
        if fmt.csum {
            seal_index(&mut root, 32, root_limit, refs.len(), csum_seed);
        }
    } else {
        let mut root_refs = Vec::new();
        for k in 0..nodes {
            let range = k * node_limit..((k + 1) * node_limit).min(n);
            let refs: Vec<(u32, u32)> = range
                .clone()
                .map(|i| (leaf_hash[i], (first_leaf + i) as u32))
                .collect();
            let mut node = vec![0u8; bs];
            node[4..6].copy_from_slice(&(bs as u16).to_le_bytes());
            write_entries(&mut node, 8, node_limit, &refs);
            if fmt.csum {
                seal_index(&mut node, 8, node_limit, refs.len(), csum_seed);
            }
            index_blocks.push(node);
            root_refs.push((leaf_hash[range.start], (1 + k) as u32));
        }
        write_entries(&mut root, 32, root_limit, &root_refs);
        if fmt.csum {
            seal_index(&mut root, 32, root_limit, root_refs.len(), csum_seed);
        }
    }
    let mut blocks = Vec::with_capacity(1 + nodes + n);
    blocks.push(root);
    blocks.extend(index_blocks);
    blocks.extend(leaves);
    Ok(DirBlocks {
        blocks,
        indexed: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(index: bool, csum: bool) -> DirFormat {
        DirFormat {
            block_size: 1024,
            filetype: true,
            index_seed: index.then_some([1, 2, 3, 4]),
            max_levels: 1,
            csum,
        }
    }

    #[test]
    fn small_directory_is_one_linear_block() {
        let e = [DirEntry {
            name: b"a",
            ino: 12,
            file_type: FT_REG,
        }];
        let d = build(&fmt(true, true), 11, 2, &e, 1, 0, "/").unwrap();
        assert_eq!(d.blocks.len(), 1);
        assert!(!d.indexed);
        let b = &d.blocks[0];
        // "." 12, ".." 12, "a" stretched to the tail.
        assert_eq!(u16::from_le_bytes([b[28], b[29]]) as usize, 1024 - 12 - 24);
        assert_eq!(b[1024 - 12 + 7], 0xDE);
    }

    #[test]
    fn large_directory_gets_an_index() {
        let names: Vec<Vec<u8>> = (0..20000)
            .map(|i| format!("file-{i}").into_bytes())
            .collect();
        let e: Vec<DirEntry> = names
            .iter()
            .enumerate()
            .map(|(i, n)| DirEntry {
                name: n,
                ino: 12 + i as u32,
                file_type: FT_REG,
            })
            .collect();
        let d = build(&fmt(true, false), 11, 2, &e, 1, 0, "/d").unwrap();
        assert!(d.indexed);
        assert_eq!(d.blocks[0][30], 1, "20000 entries at 1 KiB need two levels");
        let linear = build(&fmt(false, false), 11, 2, &e, 1, 0, "/d").unwrap();
        assert!(!linear.indexed && linear.blocks.len() > 100);
    }
}
