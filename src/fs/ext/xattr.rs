//! Extended attributes on disk: entries in the inode's spare space first, the rest in one
//! attribute block (shared between inodes with identical attributes, as the kernel does).

use super::hash::{xattr_block_hash, xattr_entry_hash};
use super::ExtError;

pub const MAGIC: u32 = 0xEA02_0000;
const ENTRY_HEADER: usize = 16;
const BLOCK_HEADER: usize = 32;

/// Name prefixes and their on-disk index (the kernel's xattr handlers).
const PREFIXES: &[(&str, u8)] = &[
    ("system.posix_acl_access", 2),
    ("system.posix_acl_default", 3),
    ("system.richacl", 8),
    ("user.", 1),
    ("trusted.", 4),
    ("security.", 6),
];

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Entry {
    index: u8,
    name: Vec<u8>,
    value: Vec<u8>,
}

impl Entry {
    fn entry_size(&self) -> usize {
        (ENTRY_HEADER + self.name.len()).next_multiple_of(4)
    }
    fn value_size(&self) -> usize {
        self.value.len().next_multiple_of(4)
    }
    fn sort_key(&self) -> (u8, usize, &[u8]) {
        (self.index, self.name.len(), &self.name)
    }
}

/// Where a node's attributes go.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layout {
    /// The in-inode area (magic, entries, values), to copy after the extra fields.
    pub ibody: Option<Vec<u8>>,
    /// An attribute block without its reference count and checksum (see [`finish_block`]).
    pub block: Option<Vec<u8>>,
}

fn split_name(name: &[u8], path: &str) -> Result<(u8, Vec<u8>), ExtError> {
    for (prefix, index) in PREFIXES {
        let p = prefix.as_bytes();
        if p.ends_with(b".") {
            if let Some(rest) = name.strip_prefix(p) {
                if !rest.is_empty() {
                    return Ok((*index, rest.to_vec()));
                }
            }
        } else if name == p {
            return Ok((*index, Vec::new()));
        }
    }
    Err(ExtError::Content {
        path: path.to_string(),
        reason: format!(
            "extended attribute {:?} has a namespace ext file systems cannot store \
             (user., trusted., security., system.posix_acl_*)",
            String::from_utf8_lossy(name)
        ),
    })
}

/// POSIX ACLs come as the VFS xattr format (version 2); ext stores its own (version 1) with
/// short entries for the owner, group, mask and other tags.
fn acl_to_disk(value: &[u8], path: &str) -> Result<Vec<u8>, ExtError> {
    let bad = || ExtError::Content {
        path: path.to_string(),
        reason: "malformed POSIX ACL extended attribute".into(),
    };
    if value.len() < 4 || !(value.len() - 4).is_multiple_of(8) {
        return Err(bad());
    }
    if u32::from_le_bytes([value[0], value[1], value[2], value[3]]) != 2 {
        return Err(bad());
    }
    let mut out = 1u32.to_le_bytes().to_vec();
    for e in value[4..].chunks_exact(8) {
        let tag = u16::from_le_bytes([e[0], e[1]]);
        out.extend_from_slice(&e[0..4]);
        match tag {
            0x01 | 0x04 | 0x10 | 0x20 => {}
            0x02 | 0x08 => out.extend_from_slice(&e[4..8]),
            _ => return Err(bad()),
        }
    }
    Ok(out)
}

fn encode_entries(entries: &[&Entry], area: usize, value_base: usize, ibody: bool) -> Vec<u8> {
    // `area` bytes; entries from `value_base`... values from the end. For the in-inode area
    // value offsets count from the first entry, for a block from the block start.
    let mut out = vec![0u8; area];
    let (first, offs_base) = if ibody { (4, 4) } else { (BLOCK_HEADER, 0) };
    let _ = value_base;
    let mut pos = first;
    let mut end = area;
    for e in entries {
        let (offs, hash) = if e.value.is_empty() {
            (0, xattr_entry_hash(&e.name, &[]))
        } else {
            end -= e.value_size();
            out[end..end + e.value.len()].copy_from_slice(&e.value);
            (end - offs_base, xattr_entry_hash(&e.name, &e.value))
        };
        out[pos] = e.name.len() as u8;
        out[pos + 1] = e.index;
        out[pos + 2..pos + 4].copy_from_slice(&(offs as u16).to_le_bytes());
        out[pos + 8..pos + 12].copy_from_slice(&(e.value.len() as u32).to_le_bytes());
        out[pos + 12..pos + 16].copy_from_slice(&hash.to_le_bytes());
        out[pos + 16..pos + 16 + e.name.len()].copy_from_slice(&e.name);
        pos += e.entry_size();
    }
    out
}

/// Lays out `xattrs` (sorted (name, value) pairs) for an inode with `ibody_space` spare bytes
/// and `block_size`-byte blocks.
pub fn layout(
    xattrs: &[(Vec<u8>, Vec<u8>)],
    ibody_space: usize,
    block_size: usize,
    path: &str,
) -> Result<Layout, ExtError> {
    if xattrs.is_empty() {
        return Ok(Layout::default());
    }
    let mut entries = Vec::with_capacity(xattrs.len());
    for (name, value) in xattrs {
        let (index, suffix) = split_name(name, path)?;
        if suffix.len() > 255 {
            return Err(ExtError::Content {
                path: path.to_string(),
                reason: "an extended attribute name is longer than 255 bytes".into(),
            });
        }
        let value = if index == 2 || index == 3 {
            acl_to_disk(value, path)?
        } else {
            value.clone()
        };
        entries.push(Entry {
            index,
            name: suffix,
            value,
        });
    }
    entries.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    // In the inode while it fits (magic, entries, end marker, values), then the block.
    let mut in_inode: Vec<&Entry> = Vec::new();
    let mut in_block: Vec<&Entry> = Vec::new();
    let mut used = 4 + 4;
    for e in &entries {
        let need = e.entry_size() + e.value_size();
        if ibody_space >= 8 && used + need <= ibody_space {
            used += need;
            in_inode.push(e);
        } else {
            in_block.push(e);
        }
    }
    let block_need: usize = BLOCK_HEADER
        + 4
        + in_block
            .iter()
            .map(|e| e.entry_size() + e.value_size())
            .sum::<usize>();
    if block_need > block_size {
        return Err(ExtError::Content {
            path: path.to_string(),
            reason: format!(
                "its extended attributes need {block_need} bytes beyond the inode, more than \
                 one {block_size}-byte block (ea_inode is not supported)"
            ),
        });
    }
    let ibody = (!in_inode.is_empty()).then(|| {
        let mut area = encode_entries(&in_inode, ibody_space, 0, true);
        area[0..4].copy_from_slice(&MAGIC.to_le_bytes());
        area
    });
    let block = (!in_block.is_empty()).then(|| {
        let mut b = encode_entries(&in_block, block_size, 0, false);
        b[0..4].copy_from_slice(&MAGIC.to_le_bytes());
        b[8..12].copy_from_slice(&1u32.to_le_bytes()); // h_blocks
        let hashes: Vec<u32> = (0..in_block.len())
            .map(|i| {
                let at =
                    BLOCK_HEADER + in_block[..i].iter().map(|e| e.entry_size()).sum::<usize>() + 12;
                u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
            })
            .collect();
        b[12..16].copy_from_slice(&xattr_block_hash(&hashes).to_le_bytes());
        b
    });
    Ok(Layout { ibody, block })
}

/// Sets the reference count and (with metadata_csum) the checksum of an attribute block
/// placed at `block_nr`.
pub fn finish_block(block: &mut [u8], refcount: u32, block_nr: u64, csum_seed: Option<u32>) {
    block[4..8].copy_from_slice(&refcount.to_le_bytes());
    block[16..20].fill(0);
    if let Some(seed) = csum_seed {
        let c = super::hash::crc32c_raw(seed, &block_nr.to_le_bytes());
        let c = super::hash::crc32c_raw(c, block);
        block[16..20].copy_from_slice(&c.to_le_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_attributes_stay_in_the_inode() {
        let x = vec![(
            b"security.selinux".to_vec(),
            b"system_u:object_r:usr_t:s0\0".to_vec(),
        )];
        let l = layout(&x, 96, 4096, "/f").unwrap();
        assert!(l.block.is_none());
        let ib = l.ibody.unwrap();
        assert_eq!(&ib[0..4], &MAGIC.to_le_bytes());
        assert_eq!(ib[4], 7); // "selinux"
        assert_eq!(ib[5], 6); // security.
    }

    #[test]
    fn large_values_go_to_a_block_and_too_large_is_an_error() {
        let x = vec![(b"user.big".to_vec(), vec![7u8; 500])];
        let l = layout(&x, 96, 1024, "/f").unwrap();
        assert!(l.ibody.is_none());
        let b = l.block.unwrap();
        assert_eq!(b.len(), 1024);
        assert_eq!(&b[1024 - 500..], &vec![7u8; 500][..]);
        let x = vec![(b"user.big".to_vec(), vec![7u8; 1200])];
        assert!(layout(&x, 96, 1024, "/f").is_err());
        let x = vec![(b"weird.ns".to_vec(), vec![])];
        assert!(layout(&x, 96, 1024, "/f").is_err());
    }

    #[test]
    fn acl_conversion() {
        let mut v = 2u32.to_le_bytes().to_vec();
        for (tag, perm, id) in [
            (1u16, 6u16, u32::MAX),
            (2, 4, 1000),
            (4, 4, u32::MAX),
            (0x10, 4, u32::MAX),
            (0x20, 0, u32::MAX),
        ] {
            v.extend_from_slice(&tag.to_le_bytes());
            v.extend_from_slice(&perm.to_le_bytes());
            v.extend_from_slice(&id.to_le_bytes());
        }
        let d = acl_to_disk(&v, "/f").unwrap();
        assert_eq!(d.len(), 4 + 4 + 8 + 4 + 4 + 4);
    }
}
