//! An ISO 9660 image's primary volume descriptor and El Torito boot catalog.

use std::fs::File;
use std::io;

use serde::Serialize;

use super::bytes::{field, le16, le32, mul, read, text};

const BLOCK: u64 = 2048;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IsoInfo {
    pub volume_id: Option<String>,
    pub system_id: Option<String>,
    pub publisher: Option<String>,
    pub application: Option<String>,
    /// The volume's size by its descriptor, in bytes.
    pub volume_size: u64,
    pub boot_entries: Vec<BootEntry>,
}

/// One El Torito boot image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BootEntry {
    /// "BIOS" (x86), "UEFI", "PowerPC", "Mac", or the platform id in hex.
    pub platform: String,
    pub bootable: bool,
    /// "no emulation", "1.2M floppy", …
    pub emulation: &'static str,
    /// Where the boot image starts, in 2048-byte blocks.
    pub load_lba: u64,
    /// Its length in 512-byte sectors as the catalog gives it.
    pub sectors: u64,
}

fn platform(id: u8) -> String {
    match id {
        0x00 => "BIOS".into(),
        0x01 => "PowerPC".into(),
        0x02 => "Mac".into(),
        0xEF => "UEFI".into(),
        other => format!("0x{other:02X}"),
    }
}

fn emulation(media: u8) -> &'static str {
    match media & 0x0F {
        0 => "no emulation",
        1 => "1.2M floppy",
        2 => "1.44M floppy",
        3 => "2.88M floppy",
        4 => "hard disk",
        _ => "unknown",
    }
}

fn entry(e: &[u8], platform_id: u8) -> Option<BootEntry> {
    Some(BootEntry {
        platform: platform(platform_id),
        bootable: *e.first()? == 0x88,
        emulation: emulation(*e.get(1)?),
        sectors: le16(e, 6)?,
        load_lba: le32(e, 8)?,
    })
}

/// The boot catalog at block `lba`: a validation entry, the default entry, then sections.
fn catalog(file: &File, lba: u64) -> io::Result<Vec<BootEntry>> {
    let Some(at) = mul(lba, BLOCK) else {
        return Ok(Vec::new());
    };
    let cat = read(file, at, BLOCK as usize)?;
    let valid = cat.first() == Some(&1) && field(&cat, 30, 2) == Some([0x55, 0xAA].as_slice());
    if !valid {
        return Ok(Vec::new());
    }
    let mut platform_id = cat[1];
    let mut entries: Vec<BootEntry> = field(&cat, 32, 32)
        .and_then(|e| entry(e, platform_id))
        .into_iter()
        .collect();
    let mut at = 64;
    // Section headers: 0x90 (more follow) or 0x91 (last), then their entries.
    while let Some(header) = field(&cat, at, 32) {
        if header[0] != 0x90 && header[0] != 0x91 {
            break;
        }
        platform_id = header[1];
        let count = le16(header, 2).unwrap_or(0) as usize;
        at += 32;
        for _ in 0..count {
            let Some(e) = field(&cat, at, 32) else { break };
            entries.extend(entry(e, platform_id));
            at += 32;
        }
        if header[0] == 0x91 {
            break;
        }
    }
    Ok(entries)
}

/// The ISO's descriptors, when the file holds an ISO 9660 volume at its start.
pub fn read_iso(file: &File) -> io::Result<Option<IsoInfo>> {
    let mut info: Option<IsoInfo> = None;
    let mut boot_catalog = None;
    // Descriptors start at block 16 and end with the terminator (type 255).
    for block in 16..64u64 {
        let d = read(file, block * BLOCK, BLOCK as usize)?;
        if field(&d, 1, 5) != Some(b"CD001".as_slice()) {
            break;
        }
        match d[0] {
            0 if text(&d, 7, 32).as_deref() == Some("EL TORITO SPECIFICATION") => {
                boot_catalog = le32(&d, 71);
            }
            1 => {
                let blocks = le32(&d, 80).unwrap_or(0);
                let block_size = le16(&d, 128).unwrap_or(BLOCK);
                info = Some(IsoInfo {
                    volume_id: text(&d, 40, 32),
                    system_id: text(&d, 8, 32),
                    publisher: text(&d, 318, 128),
                    application: text(&d, 574, 128),
                    volume_size: mul(blocks, block_size).unwrap_or(0),
                    boot_entries: Vec::new(),
                });
            }
            255 => break,
            _ => {}
        }
    }
    if let (Some(info), Some(lba)) = (info.as_mut(), boot_catalog) {
        info.boot_entries = catalog(file, lba)?;
    }
    Ok(info)
}
