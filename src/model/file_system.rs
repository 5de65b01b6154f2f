//! The file systems a partition may carry.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileSystemKind {
    Ext2,
    Ext3,
    Ext4,
    /// Guix's "vfat": FAT16 (the FAT-ness follows from the size in Guix; ingot picks FAT16
    /// when it fits, FAT32 otherwise, and says so in `show`).
    Vfat,
    Fat16,
    Fat32,
    Unformatted,
}

impl FileSystemKind {
    pub const ALL: [FileSystemKind; 7] = [
        FileSystemKind::Ext2,
        FileSystemKind::Ext3,
        FileSystemKind::Ext4,
        FileSystemKind::Vfat,
        FileSystemKind::Fat16,
        FileSystemKind::Fat32,
        FileSystemKind::Unformatted,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FileSystemKind::Ext2 => "ext2",
            FileSystemKind::Ext3 => "ext3",
            FileSystemKind::Ext4 => "ext4",
            FileSystemKind::Vfat => "vfat",
            FileSystemKind::Fat16 => "fat16",
            FileSystemKind::Fat32 => "fat32",
            FileSystemKind::Unformatted => "unformatted",
        }
    }

    pub fn is_ext(self) -> bool {
        matches!(
            self,
            FileSystemKind::Ext2 | FileSystemKind::Ext3 | FileSystemKind::Ext4
        )
    }

    pub fn is_fat(self) -> bool {
        matches!(
            self,
            FileSystemKind::Vfat | FileSystemKind::Fat16 | FileSystemKind::Fat32
        )
    }
}

impl fmt::Display for FileSystemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
