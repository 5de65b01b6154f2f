//! GPT partition tables: protective MBR, primary header at LBA 1 with a 128-entry array from
//! LBA 2, backup array and header in the last 33 sectors. Written with the `gpt` crate after
//! ingot's own checks; every GUID comes from the caller (the crate would pick random ones),
//! and the protective MBR is written here (the crate does not), keeping the boot code area.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::io::{self, Read, Seek, SeekFrom, Write};

use super::table::{check_extents, disk_sectors, Extent, TableError, SECTOR};
use super::{Target, TargetCursor};
use crate::model::Uuid;

/// Entries in the partition array (the UEFI minimum, what every tool writes).
const ENTRIES: usize = 128;
/// Sectors of the 128 x 128-byte entry array.
const ARRAY_SECTORS: u64 = 32;
/// UTF-16 code units in an entry's name.
const NAME_UNITS: usize = 36;

/// Bit 2 of the attributes: legacy BIOS bootable (Guix's `boot` flag on GPT).
pub const LEGACY_BIOS_BOOTABLE: u64 = 1 << 2;

/// One partition entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GptEntry {
    pub type_guid: Uuid,
    pub part_guid: Uuid,
    pub first_lba: u64,
    /// Inclusive.
    pub last_lba: u64,
    /// At most 36 UTF-16 code units.
    pub name: String,
    pub attributes: u64,
}

/// A partition name fits an entry: at most 36 UTF-16 code units. The plan checks it too, so
/// that `show` refuses what `build` would.
pub fn check_name(name: &str) -> Result<(), String> {
    let units = name.encode_utf16().count();
    if units > NAME_UNITS {
        return Err(format!(
            "name {name:?} is {units} UTF-16 code units, GPT allows {NAME_UNITS}: shorten it"
        ));
    }
    Ok(())
}

/// The first sector a partition may use: after the protective MBR, the header and the
/// 32-sector entry array.
pub const fn gpt_first_usable_lba() -> u64 {
    2 + ARRAY_SECTORS
}

/// Bytes at the end of the disk taken by the backup array and header (33 sectors).
pub const fn gpt_reserved_tail_bytes() -> u64 {
    (ARRAY_SECTORS + 1) * SECTOR
}

/// Writes the protective MBR (partition records only: bytes 0..446 are kept), the primary GPT
/// and the backup GPT.
pub fn write_gpt(
    disk: &dyn Target,
    disk_guid: Uuid,
    entries: &[GptEntry],
) -> Result<(), TableError> {
    let total = disk_sectors(disk.len())?;
    let min = gpt_first_usable_lba() + 1 + ARRAY_SECTORS + 1;
    if total < min {
        return Err(TableError::DiskTooSmall {
            table: "GPT",
            len: disk.len(),
            min: min * SECTOR,
        });
    }
    validate(disk_guid, entries, total)?;

    let mut dev = Dev(TargetCursor::new(disk));
    let protective =
        gpt::mbr::ProtectiveMBR::with_lb_size(u32::try_from(total - 1).unwrap_or(u32::MAX));
    protective
        .update_conservative(&mut dev)
        .map_err(|e| crate_error("writing the protective MBR", e))?;

    let mut table = gpt::GptConfig::new()
        .writable(true)
        .logical_block_size(gpt::disk::LogicalBlockSize::Lb512)
        .create_from_device(dev, Some(to_crate_uuid(disk_guid)))
        .map_err(|e| crate_error("preparing the GPT", e))?;
    let partitions: BTreeMap<u32, gpt::partition::Partition> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let part = gpt::partition::Partition {
                part_type_guid: gpt::partition_types::Type {
                    guid: to_crate_uuid(e.type_guid),
                    os: gpt::partition_types::OperatingSystem::None,
                },
                part_guid: to_crate_uuid(e.part_guid),
                first_lba: e.first_lba,
                last_lba: e.last_lba,
                flags: e.attributes,
                name: e.name.clone(),
            };
            (i as u32 + 1, part)
        })
        .collect();
    table
        .update_partitions(partitions)
        .map_err(|e| crate_error("filling the GPT", e))?;
    table
        .write_inplace()
        .map_err(|e| crate_error("writing the GPT", e))
}

fn validate(disk_guid: Uuid, entries: &[GptEntry], total: u64) -> Result<(), TableError> {
    if disk_guid == Uuid([0; 16]) {
        return Err(TableError::NilDiskGuid);
    }
    if entries.len() > ENTRIES {
        return Err(TableError::TooMany {
            table: "GPT",
            count: entries.len(),
            max: ENTRIES,
        });
    }
    let mut seen = HashSet::new();
    for (i, e) in entries.iter().enumerate() {
        let invalid = |reason: String| TableError::Invalid {
            index: i + 1,
            reason,
        };
        if e.type_guid == Uuid([0; 16]) {
            return Err(invalid(
                "the nil type GUID marks an unused entry: give the partition a type".into(),
            ));
        }
        if e.part_guid == Uuid([0; 16]) {
            return Err(invalid(
                "the partition GUID must not be the nil UUID".into(),
            ));
        }
        if e.part_guid == disk_guid || !seen.insert(e.part_guid) {
            return Err(invalid(format!(
                "partition GUID {} is used twice: every GUID on a disk must be unique",
                e.part_guid
            )));
        }
        check_name(&e.name).map_err(invalid)?;
    }
    let extents: Vec<Option<Extent>> = entries
        .iter()
        .map(|e| {
            Some(Extent {
                first: e.first_lba,
                last: e.last_lba,
            })
        })
        .collect();
    check_extents(
        &extents,
        gpt_first_usable_lba(),
        total - 1 - ARRAY_SECTORS - 1,
    )
}

fn to_crate_uuid(u: Uuid) -> uuid::Uuid {
    uuid::Uuid::from_bytes(u.0)
}

fn crate_error(what: &str, e: impl fmt::Display) -> TableError {
    TableError::Io {
        what: what.into(),
        source: io::Error::other(e.to_string()),
    }
}

/// The `gpt` crate wants a `Debug` device.
struct Dev<'t>(TargetCursor<'t>);

impl fmt::Debug for Dev<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ingot disk target")
    }
}

impl Read for Dev<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.read(buf)
    }
}

impl Write for Dev<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

impl Seek for Dev<'_> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.0.seek(pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disk::{MemTarget, Region};
    use std::process::Command;

    const ESP: &str = "c12a7328-f81f-11d2-ba4b-00a0c93ec93b";
    const LINUX: &str = "0fc63daf-8483-4772-8e79-3d69d8477de4";

    fn uuid(s: &str) -> Uuid {
        Uuid::parse(s).unwrap()
    }

    fn entries() -> Vec<GptEntry> {
        vec![
            GptEntry {
                type_guid: uuid(ESP),
                part_guid: uuid("11111111-2222-4333-8444-000000000001"),
                first_lba: 2048,
                last_lba: 2048 + 81920 - 1,
                name: "GNU-ESP".into(),
                attributes: 0,
            },
            GptEntry {
                type_guid: uuid(LINUX),
                part_guid: uuid("11111111-2222-4333-8444-000000000002"),
                first_lba: 83968,
                last_lba: 131037,
                name: "Guix_image".into(),
                attributes: LEGACY_BIOS_BOOTABLE,
            },
        ]
    }

    fn tool(cmd: &str, args: &[&str], path: &std::path::Path) -> String {
        let out = Command::new(cmd)
            .args(args)
            .arg(path)
            .output()
            .unwrap_or_else(|e| panic!("{cmd} (packages fdisk, gdisk) must be installed: {e}"));
        assert!(
            out.status.success(),
            "{cmd} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .unwrap()
            .replace(&path.display().to_string(), "IMG")
    }

    #[test]
    fn sfdisk_and_sgdisk_agree() {
        let size = 64u64 << 20;
        let file = // A name ending in a digit would make sfdisk call the partitions IMGp1.
        tempfile::Builder::new().suffix(".img").tempfile().unwrap();
        file.as_file().set_len(size).unwrap();
        let disk = Region::new(file.as_file(), 0, size);
        let guid = uuid("11111111-2222-4333-8444-555555555555");
        write_gpt(&disk, guid, &entries()).unwrap();
        assert_eq!(
            tool("sfdisk", &["--dump"], file.path()),
            "label: gpt\nlabel-id: 11111111-2222-4333-8444-555555555555\ndevice: IMG\n\
             unit: sectors\nfirst-lba: 34\nlast-lba: 131038\nsector-size: 512\n\n\
             IMG1 : start=        2048, size=       81920, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, \
             uuid=11111111-2222-4333-8444-000000000001, name=\"GNU-ESP\"\n\
             IMG2 : start=       83968, size=       47070, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, \
             uuid=11111111-2222-4333-8444-000000000002, name=\"Guix_image\", attrs=\"LegacyBIOSBootable\"\n"
        );
        let verify = tool("sgdisk", &["-v"], file.path());
        assert!(verify.contains("No problems found"), "{verify}");
    }

    #[test]
    fn reproducible_and_boot_code_kept() {
        let run = || {
            let disk = MemTarget::new(1 << 20);
            disk.write_at(&[0xeb; 440], 0).unwrap();
            let mut e = entries();
            e.truncate(1);
            e[0].first_lba = 34;
            e[0].last_lba = 1000;
            write_gpt(&disk, uuid("11111111-2222-4333-8444-555555555555"), &e).unwrap();
            disk.into_inner()
        };
        let a = run();
        assert_eq!(a, run());
        assert!(a[..440].iter().all(|b| *b == 0xeb));
        // The protective MBR: one 0xEE entry from LBA 1 over the rest of the disk.
        assert_eq!(a[446 + 4], 0xee);
        assert_eq!(&a[446 + 8..446 + 16], &[1, 0, 0, 0, 0xff, 0x07, 0, 0]);
        assert_eq!(&a[510..512], &[0x55, 0xaa]);
        assert_eq!(&a[512..520], b"EFI PART");
        assert_eq!(&a[a.len() - 512..a.len() - 504], b"EFI PART");
        // On-disk GUIDs are mixed-endian.
        assert_eq!(&a[1024..1040], &uuid(ESP).to_gpt_bytes());
    }

    #[test]
    fn bad_tables_are_refused() {
        let disk = MemTarget::new(1 << 20); // 2048 sectors, usable 34..=2014
        let guid = uuid("11111111-2222-4333-8444-555555555555");
        let with = |f: &dyn Fn(&mut Vec<GptEntry>)| {
            let mut e = entries();
            e[0].first_lba = 34;
            e[0].last_lba = 999;
            e[1].first_lba = 1000;
            e[1].last_lba = 2014;
            f(&mut e);
            write_gpt(&disk, guid, &e).unwrap_err()
        };
        assert!(matches!(
            with(&|e| e[1].last_lba = 2015),
            TableError::OutOfDisk { index: 2, .. }
        ));
        assert!(matches!(
            with(&|e| e[0].first_lba = 33),
            TableError::OutOfDisk { index: 1, .. }
        ));
        assert!(matches!(
            with(&|e| e[1].first_lba = 999),
            TableError::Overlap { a: 1, b: 2, .. }
        ));
        assert!(matches!(
            with(&|e| e[1].part_guid = e[0].part_guid),
            TableError::Invalid { index: 2, .. }
        ));
        assert!(matches!(
            with(&|e| e[1].part_guid = guid),
            TableError::Invalid { index: 2, .. }
        ));
        assert!(matches!(
            with(&|e| e[0].type_guid = Uuid([0; 16])),
            TableError::Invalid { index: 1, .. }
        ));
        assert!(matches!(
            with(&|e| e[0].name = "x".repeat(37)),
            TableError::Invalid { index: 1, .. }
        ));
        assert!(matches!(
            write_gpt(&disk, Uuid([0; 16]), &[]),
            Err(TableError::NilDiskGuid)
        ));
        assert!(matches!(
            write_gpt(&MemTarget::new(30 * 512), guid, &[]),
            Err(TableError::DiskTooSmall { .. })
        ));
        assert!(disk.into_inner().iter().all(|b| *b == 0));
    }

    #[test]
    fn planner_constants() {
        assert_eq!(gpt_first_usable_lba(), 34);
        assert_eq!(gpt_reserved_tail_bytes(), 33 * 512);
    }
}
