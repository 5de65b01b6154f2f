//! The planner's size questions, answered by the file system writers.

use crate::content::Tree;
use crate::fs::{ext, fat};
use crate::model::{FileSystemKind, Uuid};
use crate::plan::FsSizer;

pub struct Sizer {
    backend: ext::ExtBackend,
    timestamp: i64,
}

impl Sizer {
    pub fn new(backend: ext::ExtBackend, timestamp: i64) -> Self {
        Sizer { backend, timestamp }
    }
}

impl FsSizer for Sizer {
    fn min_size(
        &self,
        kind: FileSystemKind,
        tree: &Tree,
        options: &[String],
    ) -> Result<u64, String> {
        let ext_kind = match kind {
            FileSystemKind::Ext2 => ext::ExtKind::Ext2,
            FileSystemKind::Ext3 => ext::ExtKind::Ext3,
            FileSystemKind::Ext4 => ext::ExtKind::Ext4,
            FileSystemKind::Fat16 | FileSystemKind::Vfat => {
                return fat::min_size(tree, fat::FatKind::Fat16).map_err(|e| e.to_string())
            }
            FileSystemKind::Fat32 => {
                return fat::min_size(tree, fat::FatKind::Fat32).map_err(|e| e.to_string())
            }
            FileSystemKind::Unformatted => return Ok(0),
        };
        let params = ext::ExtParams {
            kind: ext_kind,
            label: String::new(),
            uuid: Uuid([0; 16]),
            hash_seed: Uuid([0; 16]),
            timestamp: self.timestamp,
            options: options.to_vec(),
            backend: self.backend,
        };
        ext::min_size(tree, &params).map_err(|e| e.to_string())
    }

    fn vfat_kind(&self, size: u64) -> FileSystemKind {
        match fat::choose_kind(size) {
            fat::FatKind::Fat16 => FileSystemKind::Fat16,
            fat::FatKind::Fat32 => FileSystemKind::Fat32,
        }
    }
}
