//! FAT16 and FAT32 partitions (and Guix's "vfat", one of them): `crate::fs::fat` writes them;
//! this is how a planned partition becomes their parameters, their label rule and how inspect
//! recognises them.

use std::fs::File;
use std::io;

use super::{FileSystemWriter, Sizer};
use crate::content::Tree;
use crate::context::BuildCtx;
use crate::disk::inspect::bytes::{field, le32, read, text};
use crate::disk::inspect::FoundFs;
use crate::disk::Region;
use crate::error::BuildError;
use crate::fs::fat;
use crate::model::FileSystemKind;
use crate::plan::{Plan, PlannedPartition, SECTOR};

/// The writer of one FAT kind.
pub struct Fat(pub fat::FatKind);

impl FileSystemWriter for Fat {
    fn min_size(&self, tree: &Tree, _options: &[String], _: &Sizer) -> Result<u64, String> {
        fat::min_size(tree, self.0).map_err(|e| e.to_string())
    }

    fn write(
        &self,
        p: &PlannedPartition,
        region: &Region,
        plan: &Plan,
        _ctx: &BuildCtx,
    ) -> Result<(), BuildError> {
        let params = fat::FatParams {
            kind: self.0,
            label: p.label.to_uppercase(),
            volume_id: p.volume_id,
            timestamp: plan.timestamp,
            hidden_sectors: (p.offset / SECTOR) as u32,
        };
        fat::write(region, &p.content, &params)?;
        Ok(())
    }

    fn check_label(&self, kind: FileSystemKind, label: &str) -> Result<(), String> {
        let max = 11;
        if label.len() > max {
            return Err(format!(
                "label {label:?} is {} bytes; {kind} labels hold at most {max}",
                label.len(),
            ));
        }
        if !label.is_ascii() {
            return Err(format!("FAT label {label:?} must be ASCII"));
        }
        Ok(())
    }

    fn family(&self) -> &'static str {
        "fat"
    }

    fn probe(&self, file: &File, offset: u64) -> io::Result<Option<FoundFs>> {
        Ok(boot_sector(&read(file, offset, 512)?))
    }
}

/// The FAT12/16/32 file system whose boot sector is `boot`.
fn boot_sector(boot: &[u8]) -> Option<FoundFs> {
    if field(boot, 510, 2)? != [0x55, 0xAA] {
        return None;
    }
    // The extended boot record: at 0x26 (FAT12/16) or 0x42 (FAT32), signature 0x28 or 0x29.
    let (ebr, kind) = if field(boot, 0x52, 5)? == b"FAT32" {
        (0x40, "fat32".to_string())
    } else {
        let name = field(boot, 0x36, 5)?;
        if name != b"FAT16" && name != b"FAT12" {
            return None;
        }
        (0x24, String::from_utf8_lossy(name).to_lowercase())
    };
    let signature = *boot.get(ebr + 2)?;
    let serial = le32(boot, ebr + 3)?;
    let label = text(boot, ebr + 7, 11).filter(|l| l != "NO NAME");
    Some(FoundFs {
        kind,
        label,
        uuid: (signature == 0x29).then(|| format!("{:04X}-{:04X}", serial >> 16, serial & 0xffff)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_or_foreign_sectors_are_nothing() {
        assert_eq!(boot_sector(&[0u8; 100]), None);
        let mut boot = [0u8; 512];
        boot[510] = 0x55;
        boot[511] = 0xAA;
        assert_eq!(boot_sector(&boot), None, "an MBR is not a FAT boot sector");
    }

    #[test]
    fn fat16_serial_and_label() {
        let mut boot = [0u8; 512];
        boot[510] = 0x55;
        boot[511] = 0xAA;
        boot[0x36..0x3B].copy_from_slice(b"FAT16");
        boot[0x26] = 0x29;
        boot[0x27..0x2B].copy_from_slice(&0x1234ABCDu32.to_le_bytes());
        boot[0x2B..0x36].copy_from_slice(b"GNU-ESP    ");
        let fs = boot_sector(&boot).unwrap();
        assert_eq!(fs.kind, "fat16");
        assert_eq!(fs.label.as_deref(), Some("GNU-ESP"));
        assert_eq!(fs.uuid.as_deref(), Some("1234-ABCD"));
    }
}
