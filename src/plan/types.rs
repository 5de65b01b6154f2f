//! Partition table type codes, as Guix assigns them.

use crate::file_system::{self, GptType};
use crate::model::{Partition, PartitionFlag, PartitionTableType, Uuid};

pub const GPT_EFI_SYSTEM: &str = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B";
pub const GPT_LINUX_FS: &str = "0FC63DAF-8483-4772-8E79-3D69D8477DE4";
pub const GPT_MS_BASIC_DATA: &str = "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7";

/// A partition's type in its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartType {
    Mbr(u8),
    Gpt(Uuid),
}

impl std::fmt::Display for PartType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PartType::Mbr(code) => write!(f, "0x{code:02X}"),
            PartType::Gpt(guid) => f.write_str(&guid.to_upper_string()),
        }
    }
}

fn known(guid: &str) -> Uuid {
    // The constants above are well-formed; a failure here is a programming error caught by tests.
    Uuid::parse(guid).unwrap_or(Uuid([0; 16]))
}

/// MBR type code: esp -> 0xEF, otherwise the file system's row (ext* -> 0x83, vfat/fat16 ->
/// 0x0E, fat32 -> 0x0C; `unformatted` is 0xDA, "non-FS data", where Guix refuses).
pub fn mbr_type(p: &Partition) -> u8 {
    if p.has_flag(PartitionFlag::Esp) {
        return 0xEF;
    }
    file_system::row(p.file_system).mbr_type
}

/// GPT type GUID; `None` for an unformatted partition without a uuid (Guix refuses it too).
pub fn gpt_type(p: &Partition) -> Option<Uuid> {
    if p.has_flag(PartitionFlag::Esp) {
        return Some(known(GPT_EFI_SYSTEM));
    }
    match file_system::row(p.file_system).gpt_type {
        GptType::Guid(guid) => Some(known(guid)),
        GptType::PartitionUuid => p.uuid,
    }
}

/// `p`'s type in `table` (none outside a disk).
pub(super) fn part_type(
    p: &Partition,
    table: Option<PartitionTableType>,
) -> Result<Option<PartType>, String> {
    Ok(match table {
        Some(PartitionTableType::Mbr) => Some(PartType::Mbr(mbr_type(p))),
        Some(PartitionTableType::Gpt) => Some(PartType::Gpt(gpt_type(p).ok_or_else(|| {
            "an unformatted GPT partition needs a `uuid`: it is used as the \
             partition type GUID"
                .to_string()
        })?)),
        None => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_parse() {
        for g in [GPT_EFI_SYSTEM, GPT_LINUX_FS, GPT_MS_BASIC_DATA] {
            assert_eq!(known(g).to_upper_string(), g);
        }
    }
}
