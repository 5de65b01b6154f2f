//! Reading an existing image back: its partition table and what each partition holds, for
//! `ingot inspect` (a quick look at any disk image, ingot's or not).

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::path::Path;

use serde::Serialize;

use crate::model::Uuid;

const SECTOR: u64 = 512;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FoundPartition {
    pub index: usize,
    pub offset: u64,
    pub size: u64,
    /// "0x83" for MBR, the type GUID for GPT.
    #[serde(rename = "type")]
    pub part_type: String,
    /// GPT partition name.
    pub name: Option<String>,
    pub bootable: bool,
    /// ext2/3/4, fat16, fat32, iso9660, or None when unrecognised.
    pub file_system: Option<String>,
    pub label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inspection {
    pub size: u64,
    /// "mbr", "gpt", or None.
    pub partition_table: Option<String>,
    pub disk_id: Option<String>,
    pub partitions: Vec<FoundPartition>,
    /// What the whole image is when it has no table (e.g. an ISO without isohybrid).
    pub file_system: Option<String>,
}

fn read(file: &File, offset: u64, len: usize) -> io::Result<Vec<u8>> {
    let mut buf = vec![0u8; len];
    let n = file.read_at(&mut buf, offset)?;
    buf.truncate(n);
    Ok(buf)
}

fn le32(b: &[u8], at: usize) -> u64 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]) as u64
}

fn le64(b: &[u8], at: usize) -> u64 {
    let mut x = [0u8; 8];
    x.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(x)
}

fn trimmed(bytes: &[u8]) -> Option<String> {
    let s = String::from_utf8_lossy(bytes)
        .trim_end_matches(['\0', ' '])
        .to_string();
    (!s.is_empty()).then_some(s)
}

/// Recognises the file system at `offset` by its superblock or boot sector.
fn probe(file: &File, offset: u64) -> io::Result<(Option<String>, Option<String>)> {
    let ext = read(file, offset.saturating_add(1024), 256)?;
    if ext.len() >= 136 && ext[56..58] == [0x53, 0xEF] {
        let compat = le32(&ext, 92);
        let incompat = le32(&ext, 96);
        let kind = if incompat & 0x40 != 0 || incompat & 0x80 != 0 {
            "ext4" // extents or 64bit
        } else if compat & 0x4 != 0 {
            "ext3" // has_journal
        } else {
            "ext2"
        };
        return Ok((Some(kind.into()), trimmed(&ext[120..136])));
    }
    let boot = read(file, offset, 512)?;
    if boot.len() == 512 && boot[510..512] == [0x55, 0xAA] {
        if &boot[0x52..0x57] == b"FAT32" {
            return Ok((Some("fat32".into()), trimmed(&boot[0x47..0x52])));
        }
        if &boot[0x36..0x3B] == b"FAT16" || &boot[0x36..0x3B] == b"FAT12" {
            let kind = String::from_utf8_lossy(&boot[0x36..0x3B]).to_lowercase();
            return Ok((Some(kind), trimmed(&boot[0x2B..0x36])));
        }
    }
    let iso = read(file, offset.saturating_add(16 * 2048), 2048)?;
    if iso.len() >= 72 && &iso[1..6] == b"CD001" {
        return Ok((Some("iso9660".into()), trimmed(&iso[40..72])));
    }
    Ok((None, None))
}

fn guid(bytes: &[u8]) -> Uuid {
    // On disk the first three fields are little-endian.
    let b = bytes;
    Uuid([
        b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], b[8], b[9], b[10], b[11], b[12], b[13],
        b[14], b[15],
    ])
}

fn gpt(file: &File, size: u64) -> io::Result<Option<(String, Vec<FoundPartition>)>> {
    let header = read(file, SECTOR, 92)?;
    if header.len() < 92 || &header[..8] != b"EFI PART" {
        return Ok(None);
    }
    let entries_lba = le64(&header, 72);
    let count = le32(&header, 80).min(1024);
    let entry_size = le32(&header, 84).clamp(128, 4096);
    // The header is untrusted: an LBA past the end of any disk means no readable table.
    let Some(entries_at) = entries_lba.checked_mul(SECTOR) else {
        return Ok(None);
    };
    let table = read(file, entries_at, (count * entry_size) as usize)?;
    let mut parts = Vec::new();
    for (i, e) in table.chunks(entry_size as usize).enumerate() {
        if e.len() < 128 || e[..16].iter().all(|b| *b == 0) {
            continue;
        }
        let (first, last) = (le64(e, 32), le64(e, 40));
        let end = last.checked_add(1).and_then(|n| n.checked_mul(SECTOR));
        if last < first || end.is_none_or(|end| end > size) {
            continue;
        }
        let name: Vec<u16> = e[56..128]
            .chunks(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .take_while(|c| *c != 0)
            .collect();
        let offset = first * SECTOR;
        let (file_system, label) = probe(file, offset)?;
        parts.push(FoundPartition {
            index: i + 1,
            offset,
            size: (last - first + 1) * SECTOR,
            part_type: guid(&e[..16]).to_upper_string(),
            name: Some(String::from_utf16_lossy(&name)),
            bootable: le64(e, 48) & (1 << 2) != 0,
            file_system,
            label,
        });
    }
    Ok(Some((guid(&header[56..72]).to_upper_string(), parts)))
}

/// Reads the partition table of the image at `path` and probes each partition.
pub fn inspect(path: &Path) -> io::Result<Inspection> {
    let file = File::open(path)?;
    let size = file.metadata()?.len();
    let mbr = read(&file, 0, 512)?;
    let mut out = Inspection {
        size,
        partition_table: None,
        disk_id: None,
        partitions: Vec::new(),
        file_system: None,
    };
    let has_mbr = mbr.len() == 512 && mbr[510..512] == [0x55, 0xAA];
    if has_mbr {
        if let Some((disk_guid, parts)) = gpt(&file, size)? {
            out.partition_table = Some("gpt".into());
            out.disk_id = Some(disk_guid);
            out.partitions = parts;
            return Ok(out);
        }
        let mut parts = Vec::new();
        for i in 0..4 {
            let e = &mbr[446 + 16 * i..462 + 16 * i];
            let (ty, start, sectors) = (e[4], le32(e, 8), le32(e, 12));
            if ty == 0 || sectors == 0 || (start + sectors) * SECTOR > size {
                continue;
            }
            let (file_system, label) = probe(&file, start * SECTOR)?;
            parts.push(FoundPartition {
                index: i + 1,
                offset: start * SECTOR,
                size: sectors * SECTOR,
                part_type: format!("0x{ty:02X}"),
                name: None,
                bootable: e[0] == 0x80,
                file_system,
                label,
            });
        }
        if !parts.is_empty() {
            out.partition_table = Some("mbr".into());
            out.disk_id = Some(format!("0x{:08x}", le32(&mbr, 440)));
            out.partitions = parts;
            // An isohybrid ISO has both: say what the whole file is too.
            out.file_system = probe(&file, 0)?.0.filter(|f| f == "iso9660");
            return Ok(out);
        }
    }
    out.file_system = probe(&file, 0)?.0;
    Ok(out)
}

/// A table for people.
pub fn render(i: &Inspection) -> String {
    let mut out = format!(
        "size {} bytes  table {}{}\n",
        i.size,
        i.partition_table.as_deref().unwrap_or("none"),
        i.disk_id
            .as_deref()
            .map(|d| format!("  id {d}"))
            .unwrap_or_default()
    );
    if let Some(fs) = &i.file_system {
        out.push_str(&format!("whole image: {fs}\n"));
    }
    for p in &i.partitions {
        out.push_str(&format!(
            "{}  start {}  size {}  type {}{}  fs {}  label {}{}\n",
            p.index,
            p.offset,
            p.size,
            p.part_type,
            if p.bootable { " boot" } else { "" },
            p.file_system.as_deref().unwrap_or("?"),
            p.label.as_deref().unwrap_or("-"),
            p.name
                .as_deref()
                .map(|n| format!("  name {n}"))
                .unwrap_or_default()
        ));
    }
    out
}
