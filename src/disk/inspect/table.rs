//! MBR and GPT partition tables read back, with the names fdisk gives their types.

use std::fs::File;
use std::io;

use serde::Serialize;

use super::bytes::{field, le32, le64, mul, read};
use super::probe::FoundFs;
use crate::file_system::probe;
use crate::model::Uuid;

pub use crate::disk::SECTOR;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FoundPartition {
    pub index: usize,
    pub offset: u64,
    pub size: u64,
    /// "0x83" for MBR, the type GUID for GPT.
    #[serde(rename = "type")]
    pub part_type: String,
    /// What fdisk calls the type: "EFI System", "Linux filesystem", …
    pub type_name: Option<&'static str>,
    /// GPT partition name.
    pub name: Option<String>,
    /// GPT unique partition GUID.
    pub partition_guid: Option<String>,
    pub bootable: bool,
    /// ext2/3/4, fat12/16/32, iso9660, or None when unrecognised.
    pub file_system: Option<String>,
    pub label: Option<String>,
    /// The file system's UUID or FAT serial, as blkid prints it.
    pub uuid: Option<String>,
}

/// A partition table: its kind ("mbr" or "gpt"), disk id and partitions.
pub struct Table {
    pub kind: &'static str,
    pub disk_id: String,
    pub partitions: Vec<FoundPartition>,
}

fn mbr_type_name(ty: u8) -> Option<&'static str> {
    Some(match ty {
        0x01 => "FAT12",
        0x04 | 0x06 => "FAT16",
        0x0B => "W95 FAT32",
        0x0C => "W95 FAT32 (LBA)",
        0x0E => "W95 FAT16 (LBA)",
        0x05 | 0x0F => "Extended",
        0x82 => "Linux swap",
        0x83 => "Linux",
        0x8E => "Linux LVM",
        0xDA => "Non-FS data",
        0xEE => "GPT",
        0xEF => "EFI (FAT-12/16/32)",
        0xFD => "Linux raid autodetect",
        _ => return None,
    })
}

fn gpt_type_name(guid: &str) -> Option<&'static str> {
    Some(match guid {
        "C12A7328-F81F-11D2-BA4B-00A0C93EC93B" => "EFI System",
        "0FC63DAF-8483-4772-8E79-3D69D8477DE4" => "Linux filesystem",
        "21686148-6449-6E6F-744E-656564454649" => "BIOS boot",
        "EBD0A0A2-B9E5-4433-87C0-68B6B72699C7" => "Microsoft basic data",
        "0657FD6D-A4AB-43C4-84E5-0933C84B4F4F" => "Linux swap",
        "4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709" => "Linux root (x86-64)",
        "44479540-F297-41B2-9AF7-D131D5F0458A" => "Linux root (x86)",
        "B921B045-1DF0-41C3-AF44-4C6F280D3FAE" => "Linux root (ARM-64)",
        "69DAD710-2CE4-4E3C-B16C-21A1D49ABED3" => "Linux root (ARM)",
        "A19D880F-05FC-4D3B-A006-743F0F84911E" => "Linux RAID",
        "E6D6D379-F507-44C2-A23C-238F2A3DF928" => "Linux LVM",
        "BC13C2FF-59E6-4262-A352-B275FD6F7172" => "Linux extended boot",
        _ => return None,
    })
}

fn guid(bytes: &[u8]) -> Option<Uuid> {
    // On disk the first three fields are little-endian.
    let b: [u8; 16] = field(bytes, 0, 16)?.try_into().ok()?;
    Some(Uuid(uuid::Uuid::from_bytes_le(b).into_bytes()))
}

fn partition(
    file: &File,
    index: usize,
    offset: u64,
    size: u64,
    part_type: String,
    type_name: Option<&'static str>,
) -> io::Result<FoundPartition> {
    let fs: Option<FoundFs> = probe(file, offset)?;
    Ok(FoundPartition {
        index,
        offset,
        size,
        part_type,
        type_name,
        name: None,
        partition_guid: None,
        bootable: false,
        file_system: fs.as_ref().map(|f| f.kind.clone()),
        label: fs.as_ref().and_then(|f| f.label.clone()),
        uuid: fs.and_then(|f| f.uuid),
    })
}

fn gpt(file: &File, size: u64) -> io::Result<Option<Table>> {
    let header = read(file, SECTOR, 92)?;
    if field(&header, 0, 8) != Some(b"EFI PART".as_slice()) {
        return Ok(None);
    }
    let fields = (|| {
        Some((
            le64(&header, 72)?,
            le32(&header, 80)?.min(1024),
            le32(&header, 84)?.clamp(128, 4096),
            guid(field(&header, 56, 16)?)?,
        ))
    })();
    let Some((entries_lba, count, entry_size, disk_guid)) = fields else {
        return Ok(None);
    };
    let (Some(table_at), Some(table_len)) = (mul(entries_lba, SECTOR), mul(count, entry_size))
    else {
        return Ok(None);
    };
    // count ≤ 1024 and entry_size ≤ 4096: at most 4 MiB.
    let table = read(file, table_at, table_len as usize)?;
    let mut parts = Vec::new();
    for (i, e) in table.chunks(entry_size as usize).enumerate() {
        let Some(type_guid) = guid(e).filter(|g| g.0 != [0; 16]) else {
            continue;
        };
        let (Some(first), Some(last), Some(attrs)) = (le64(e, 32), le64(e, 40), le64(e, 48)) else {
            continue;
        };
        let span = last
            .checked_sub(first)
            .and_then(|n| n.checked_add(1))
            .and_then(|n| mul(n, SECTOR));
        let (Some(offset), Some(len)) = (mul(first, SECTOR), span) else {
            continue;
        };
        if offset.checked_add(len).is_none_or(|end| end > size) {
            continue;
        }
        let name: Vec<u16> = field(e, 56, 72)
            .unwrap_or_default()
            .chunks(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .take_while(|c| *c != 0)
            .collect();
        let ty = type_guid.to_upper_string();
        let mut p = partition(file, i + 1, offset, len, ty.clone(), gpt_type_name(&ty))?;
        p.name = Some(String::from_utf16_lossy(&name));
        p.partition_guid = field(e, 16, 16).and_then(guid).map(|g| g.to_upper_string());
        p.bootable = attrs & (1 << 2) != 0;
        parts.push(p);
    }
    Ok(Some(Table {
        kind: "gpt",
        disk_id: disk_guid.to_upper_string(),
        partitions: parts,
    }))
}

/// The partition table of the image, GPT first (its protective MBR has one 0xEE entry).
pub fn read_table(file: &File, size: u64) -> io::Result<Option<Table>> {
    let mbr = read(file, 0, 512)?;
    if field(&mbr, 510, 2) != Some([0x55, 0xAA].as_slice()) {
        return Ok(None);
    }
    if let Some(table) = gpt(file, size)? {
        return Ok(Some(table));
    }
    let mut parts = Vec::new();
    for i in 0..4 {
        let Some(e) = field(&mbr, 446 + 16 * i, 16) else {
            continue;
        };
        let (ty, Some(start), Some(sectors)) = (e[4], le32(e, 8), le32(e, 12)) else {
            continue;
        };
        let (Some(offset), Some(len)) = (mul(start, SECTOR), mul(sectors, SECTOR)) else {
            continue;
        };
        if ty == 0 || sectors == 0 || offset.checked_add(len).is_none_or(|end| end > size) {
            continue;
        }
        // A FAT boot sector also ends in 55 AA: a "partition" must not start at sector 0.
        if start == 0 {
            return Ok(None);
        }
        let mut p = partition(
            file,
            i + 1,
            offset,
            len,
            format!("0x{ty:02X}"),
            mbr_type_name(ty),
        )?;
        p.bootable = e[0] == 0x80;
        parts.push(p);
    }
    if parts.is_empty() {
        return Ok(None);
    }
    Ok(Some(Table {
        kind: "mbr",
        disk_id: format!("0x{:08x}", le32(&mbr, 440).unwrap_or(0)),
        partitions: parts,
    }))
}
