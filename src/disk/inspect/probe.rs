//! What file system starts at an offset: ext2/3/4, FAT12/16/32 or ISO 9660, with its label and
//! its UUID as blkid prints it (ext: the superblock UUID; FAT: the volume serial `ABCD-1234`;
//! ISO: the volume creation time `YYYY-MM-DD-HH-MM-SS-CC`, which Guix uses as the ISO's UUID).

use std::fs::File;
use std::io;

use serde::Serialize;

use super::bytes::{field, le32, read, text};
use crate::model::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FoundFs {
    /// ext2, ext3, ext4, fat12, fat16, fat32, iso9660.
    pub kind: String,
    pub label: Option<String>,
    pub uuid: Option<String>,
}

/// Recognises the file system at `offset` by its superblock or boot sector.
pub fn probe(file: &File, offset: u64) -> io::Result<Option<FoundFs>> {
    if let Some(at) = offset.checked_add(1024) {
        if let Some(fs) = ext(&read(file, at, 256)?) {
            return Ok(Some(fs));
        }
    }
    if let Some(fs) = fat(&read(file, offset, 512)?) {
        return Ok(Some(fs));
    }
    if let Some(at) = offset.checked_add(16 * 2048) {
        if let Some(fs) = iso(&read(file, at, 2048)?) {
            return Ok(Some(fs));
        }
    }
    Ok(None)
}

fn ext(sb: &[u8]) -> Option<FoundFs> {
    if field(sb, 56, 2)? != [0x53, 0xEF] {
        return None;
    }
    let compat = le32(sb, 92)?;
    let incompat = le32(sb, 96)?;
    let kind = if incompat & (0x40 | 0x80 | 0x200) != 0 {
        "ext4" // extents, 64bit or flex_bg
    } else if compat & 0x4 != 0 {
        "ext3" // has_journal
    } else {
        "ext2"
    };
    let mut uuid = [0u8; 16];
    uuid.copy_from_slice(field(sb, 104, 16)?);
    Some(FoundFs {
        kind: kind.into(),
        label: text(sb, 120, 16),
        uuid: Some(Uuid(uuid).to_string()),
    })
}

fn fat(boot: &[u8]) -> Option<FoundFs> {
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

fn iso(pvd: &[u8]) -> Option<FoundFs> {
    if *pvd.first()? != 1 || field(pvd, 1, 5)? != b"CD001" {
        return None;
    }
    // The creation time: 16 ASCII digits (YYYYMMDDHHMMSSCC) then a zone byte.
    let created = field(pvd, 813, 16)?;
    let uuid = created.iter().all(u8::is_ascii_digit).then(|| {
        let d = String::from_utf8_lossy(created);
        format!(
            "{}-{}-{}-{}-{}-{}-{}",
            &d[0..4],
            &d[4..6],
            &d[6..8],
            &d[8..10],
            &d[10..12],
            &d[12..14],
            &d[14..16]
        )
    });
    Some(FoundFs {
        kind: "iso9660".into(),
        label: text(pvd, 40, 32),
        uuid,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_or_foreign_sectors_are_nothing() {
        assert_eq!(ext(&[]), None);
        assert_eq!(ext(&[0u8; 60]), None);
        assert_eq!(fat(&[0u8; 100]), None);
        let mut boot = [0u8; 512];
        boot[510] = 0x55;
        boot[511] = 0xAA;
        assert_eq!(fat(&boot), None, "an MBR is not a FAT boot sector");
        assert_eq!(iso(&[1, b'C', b'D']), None);
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
        let fs = fat(&boot).unwrap();
        assert_eq!(fs.kind, "fat16");
        assert_eq!(fs.label.as_deref(), Some("GNU-ESP"));
        assert_eq!(fs.uuid.as_deref(), Some("1234-ABCD"));
    }
}
