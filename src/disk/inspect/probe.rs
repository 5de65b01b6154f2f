//! What file system starts at an offset, as `crate::file_system::probe` (each family's probe)
//! finds it: ext2/3/4, FAT12/16/32 or ISO 9660, with its label and its UUID as blkid prints it
//! (ext: the superblock UUID; FAT: the volume serial `ABCD-1234`; ISO: the volume creation time
//! `YYYY-MM-DD-HH-MM-SS-CC`, which Guix uses as the ISO's UUID).

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FoundFs {
    /// ext2, ext3, ext4, fat12, fat16, fat32, iso9660.
    pub kind: String,
    pub label: Option<String>,
    pub uuid: Option<String>,
}
