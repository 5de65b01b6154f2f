//! The file systems a partition may carry: one module per family (ext, FAT, unformatted), each
//! implementing [`FileSystemWriter`] — its minimum size, its writer, its label rule and its
//! inspect probe — and one row per [`FileSystemKind`] in [`row`], which also gives the kind's
//! MBR and GPT type codes. `row` is an exhaustive match, so a kind without a row does not
//! compile. Adding a file system is its module plus one row here (and its `FileSystemKind`
//! variant, the row's key). The byte layouts themselves are in `crate::fs`.
//!
//! The ISO 9660 volume is not a partition's file system (an ISO image is its own format, with
//! no partition table), so it has no row; its label rule and probe are in [`iso`], next to the
//! others.

mod ext;
mod fat;
pub mod iso;
mod unformatted;

use std::fs::File;
use std::io;

use crate::content::Tree;
use crate::context::BuildCtx;
use crate::disk::inspect::FoundFs;
use crate::disk::Region;
use crate::error::BuildError;
use crate::fs::ext::{ExtBackend, ExtKind};
use crate::fs::fat::FatKind;
use crate::model::FileSystemKind;
use crate::plan::{FsSizer, Plan, PlannedPartition, GPT_LINUX_FS, GPT_MS_BASIC_DATA};

/// One family of file systems, as a partition's writer sees it.
pub trait FileSystemWriter: Sync {
    /// The smallest file system of this row's kind that holds `tree`, in bytes.
    fn min_size(&self, tree: &Tree, options: &[String], sizer: &Sizer) -> Result<u64, String>;
    /// Writes partition `p`'s file system into `region`, its place on the disk.
    fn write(
        &self,
        p: &PlannedPartition,
        region: &Region,
        plan: &Plan,
        ctx: &BuildCtx,
    ) -> Result<(), BuildError>;
    /// Refuses a label `kind` (as the definition names it) cannot hold, before anything is
    /// built.
    fn check_label(&self, kind: FileSystemKind, label: &str) -> Result<(), String>;
    /// The family's name: its rows share one probe, which tells their kinds apart.
    fn family(&self) -> &'static str;
    /// The file system of this family that starts at `offset` of `file`, if there is one
    /// (`ingot inspect`).
    fn probe(&self, file: &File, offset: u64) -> io::Result<Option<FoundFs>>;
}

/// A partition's type in a GPT table when it has no esp flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GptType {
    Guid(&'static str),
    /// The partition's own `uuid` is its type GUID (unformatted data); without one the
    /// partition is refused.
    PartitionUuid,
}

/// A row of the registry: what is known about one [`FileSystemKind`].
pub struct FileSystemRow {
    pub kind: FileSystemKind,
    pub writer: &'static dyn FileSystemWriter,
    /// The MBR type code when the partition has no esp flag (Guix's codes).
    pub mbr_type: u8,
    pub gpt_type: GptType,
}

/// The row of `kind`.
pub fn row(kind: FileSystemKind) -> &'static FileSystemRow {
    use FileSystemKind as K;
    match kind {
        K::Ext2 => &FileSystemRow {
            kind: K::Ext2,
            writer: &ext::Ext(ExtKind::Ext2),
            mbr_type: 0x83,
            gpt_type: GptType::Guid(GPT_LINUX_FS),
        },
        K::Ext3 => &FileSystemRow {
            kind: K::Ext3,
            writer: &ext::Ext(ExtKind::Ext3),
            mbr_type: 0x83,
            gpt_type: GptType::Guid(GPT_LINUX_FS),
        },
        K::Ext4 => &FileSystemRow {
            kind: K::Ext4,
            writer: &ext::Ext(ExtKind::Ext4),
            mbr_type: 0x83,
            gpt_type: GptType::Guid(GPT_LINUX_FS),
        },
        // Sized as FAT16; the planner resolves it to FAT16 or FAT32 before anything is written.
        K::Vfat => &FileSystemRow {
            kind: K::Vfat,
            writer: &fat::Fat(FatKind::Fat16),
            mbr_type: 0x0E,
            gpt_type: GptType::Guid(GPT_MS_BASIC_DATA),
        },
        K::Fat16 => &FileSystemRow {
            kind: K::Fat16,
            writer: &fat::Fat(FatKind::Fat16),
            mbr_type: 0x0E,
            gpt_type: GptType::Guid(GPT_MS_BASIC_DATA),
        },
        K::Fat32 => &FileSystemRow {
            kind: K::Fat32,
            writer: &fat::Fat(FatKind::Fat32),
            mbr_type: 0x0C,
            gpt_type: GptType::Guid(GPT_MS_BASIC_DATA),
        },
        // 0xDA is "non-FS data"; Guix refuses unformatted MBR partitions.
        K::Unformatted => &FileSystemRow {
            kind: K::Unformatted,
            writer: &unformatted::Unformatted,
            mbr_type: 0xDA,
            gpt_type: GptType::PartitionUuid,
        },
    }
}

/// What a file system found at `offset` is: each family's probe once, in
/// [`FileSystemKind::ALL`]'s order (a family's probe tells its kinds apart), then the ISO
/// volume's.
pub fn probe(file: &File, offset: u64) -> io::Result<Option<FoundFs>> {
    let mut probed: Vec<&str> = Vec::new();
    for kind in FileSystemKind::ALL {
        let writer = row(kind).writer;
        if probed.contains(&writer.family()) {
            continue;
        }
        probed.push(writer.family());
        if let Some(fs) = writer.probe(file, offset)? {
            return Ok(Some(fs));
        }
    }
    iso::probe(file, offset)
}

/// The planner's size questions, answered by the rows' writers with what `write` will use.
pub struct Sizer {
    pub ext_backend: ExtBackend,
    pub timestamp: i64,
}

impl Sizer {
    pub fn new(ext_backend: ExtBackend, timestamp: i64) -> Self {
        Sizer {
            ext_backend,
            timestamp,
        }
    }
}

impl FsSizer for Sizer {
    fn min_size(
        &self,
        kind: FileSystemKind,
        tree: &Tree,
        options: &[String],
    ) -> Result<u64, String> {
        row(kind).writer.min_size(tree, options, self)
    }

    fn vfat_kind(&self, size: u64) -> FileSystemKind {
        match crate::fs::fat::choose_kind(size) {
            FatKind::Fat16 => FileSystemKind::Fat16,
            FatKind::Fat32 => FileSystemKind::Fat32,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Uuid;

    #[test]
    fn every_kind_has_its_own_row() {
        for kind in FileSystemKind::ALL {
            assert_eq!(row(kind).kind, kind, "{kind}'s row is another kind's");
        }
    }

    #[test]
    fn gpt_type_guids_parse() {
        for kind in FileSystemKind::ALL {
            if let GptType::Guid(g) = row(kind).gpt_type {
                assert!(Uuid::parse(g).is_ok(), "{kind}: {g}");
            }
        }
    }

    #[test]
    fn labels_follow_each_family() {
        let long = "a-label-of-17-ch.";
        assert!(row(FileSystemKind::Ext4)
            .writer
            .check_label(FileSystemKind::Ext4, &long[..16])
            .is_ok());
        let err = row(FileSystemKind::Ext4)
            .writer
            .check_label(FileSystemKind::Ext4, long)
            .unwrap_err();
        assert!(err.contains("ext4 labels hold at most 16"), "{err}");
        let err = row(FileSystemKind::Vfat)
            .writer
            .check_label(FileSystemKind::Vfat, "TWELVE-CHARS")
            .unwrap_err();
        assert!(err.contains("vfat labels hold at most 11"), "{err}");
        assert!(row(FileSystemKind::Fat32)
            .writer
            .check_label(FileSystemKind::Fat32, "ÉTÉ")
            .is_err());
        assert!(row(FileSystemKind::Unformatted)
            .writer
            .check_label(FileSystemKind::Unformatted, &long.repeat(4))
            .is_ok());
    }
}
