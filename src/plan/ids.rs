//! Deterministic identifiers: every UUID, GUID, serial and signature in an image is derived from
//! a seed and what it identifies, never from a clock or a random source.

use sha2::{Digest, Sha256};

use crate::model::{FileSystemKind, Partition, Uuid};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdSource {
    seed: String,
}

impl IdSource {
    pub fn new(seed: impl Into<String>) -> Self {
        IdSource { seed: seed.into() }
    }

    pub fn seed(&self) -> &str {
        &self.seed
    }

    fn digest(&self, purpose: &str, index: usize) -> [u8; 32] {
        let mut h = Sha256::new();
        for part in [self.seed.as_bytes(), purpose.as_bytes()] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part);
        }
        h.update((index as u64).to_le_bytes());
        h.finalize().into()
    }

    pub fn uuid(&self, purpose: &str, index: usize) -> Uuid {
        Uuid::from_hash_bytes(&self.digest(purpose, index))
    }

    pub fn u32(&self, purpose: &str, index: usize) -> u32 {
        let d = self.digest(purpose, index);
        u32::from_le_bytes([d[0], d[1], d[2], d[3]])
    }
}

/// The identifiers of partition `index` (1-based).
pub(super) struct PartitionIds {
    /// File system UUID: the partition's `uuid`, or derived.
    pub fs_uuid: Uuid,
    /// GPT unique partition GUID.
    pub part_guid: Uuid,
    /// FAT volume serial: the partition's `fat_serial`, or derived.
    pub volume_id: u32,
}

impl PartitionIds {
    pub(super) fn new(p: &Partition, index: usize, ids: &IdSource) -> Self {
        let fs_uuid = match (p.file_system, p.uuid) {
            // an unformatted GPT partition's uuid is its type, not a file system's
            (FileSystemKind::Unformatted, _) => ids.uuid("fs-uuid", index),
            (_, Some(u)) => u,
            _ => ids.uuid("fs-uuid", index),
        };
        PartitionIds {
            fs_uuid,
            part_guid: ids.uuid("partition-guid", index),
            volume_id: p
                .fat_serial
                .unwrap_or_else(|| ids.u32("fat-volume-id", index)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_and_distinct() {
        let a = IdSource::new("s");
        assert_eq!(a.uuid("fs", 1), IdSource::new("s").uuid("fs", 1));
        assert_ne!(a.uuid("fs", 1), a.uuid("fs", 2));
        assert_ne!(a.uuid("fs", 1), a.uuid("part", 1));
        assert_ne!(a.uuid("fs", 1), IdSource::new("t").uuid("fs", 1));
        assert_eq!(a.uuid("fs", 1).to_string().as_bytes()[14], b'4');
    }
}
