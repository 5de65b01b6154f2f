//! MBR (DOS) partition tables: up to four primary partitions, written with `mbrman` after
//! ingot's own layout checks.
//!
//! Only bytes 440..512 (disk signature, table, 0x55AA) are ingot's business here: the boot code
//! area 0..440 is read back and kept, so a boot loader may be installed before or after the
//! table.

use super::table::{check_extents, disk_sectors, Extent, TableError, SECTOR};
use super::{Target, TargetCursor};

/// One primary partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MbrEntry {
    /// Partition type, e.g. 0x83 Linux, 0xEF EFI System, 0x0E FAT16 LBA, 0x0C FAT32 LBA.
    pub type_code: u8,
    /// The active flag (0x80).
    pub bootable: bool,
    pub first_lba: u32,
    pub sectors: u32,
}

/// Extended-partition type codes: ingot writes primary partitions only.
const EXTENDED: [u8; 3] = [0x05, 0x0f, 0x85];

/// Writes the disk signature and partition table into sector 0 of `disk`, keeping the boot code
/// bytes 0..440 that are already there.
pub fn write_mbr(
    disk: &dyn Target,
    signature: u32,
    entries: &[MbrEntry],
) -> Result<(), TableError> {
    let total = disk_sectors(disk.len())?;
    if total < 2 {
        return Err(TableError::DiskTooSmall {
            table: "MBR",
            len: disk.len(),
            min: 2 * SECTOR,
        });
    }
    if entries.len() > 4 {
        return Err(TableError::TooMany {
            table: "MBR",
            count: entries.len(),
            max: 4,
        });
    }
    validate(entries, total)?;

    let mut boot_code = [0u8; 440];
    disk.read_at(&mut boot_code, 0)
        .map_err(TableError::io("reading the MBR boot code area"))?;
    let mut cursor = TargetCursor::new(disk);
    let mut mbr = mbrman::MBR::new_from(&mut cursor, SECTOR as u32, signature.to_le_bytes())
        .map_err(|e| mbrman_error("preparing the MBR", e))?;
    mbr.header.bootstrap_code = boot_code;
    for (i, e) in entries.iter().enumerate() {
        let last = e.first_lba + (e.sectors - 1);
        mbr[i + 1] = mbrman::MBRPartitionEntry {
            boot: if e.bootable {
                mbrman::BOOT_ACTIVE
            } else {
                mbrman::BOOT_INACTIVE
            },
            first_chs: chs(e.first_lba),
            sys: e.type_code,
            last_chs: chs(last),
            starting_lba: e.first_lba,
            sectors: e.sectors,
        };
    }
    mbr.write_into(&mut cursor)
        .map_err(|e| mbrman_error("writing the MBR", e))
}

fn validate(entries: &[MbrEntry], total: u64) -> Result<(), TableError> {
    for (i, e) in entries.iter().enumerate() {
        if e.type_code == 0 {
            return Err(TableError::Invalid {
                index: i + 1,
                reason: "type code 0x00 marks an unused entry: give the partition a type".into(),
            });
        }
        if EXTENDED.contains(&e.type_code) {
            return Err(TableError::Invalid {
                index: i + 1,
                reason: format!(
                    "type 0x{:02x} is an extended partition; ingot writes primary partitions only",
                    e.type_code
                ),
            });
        }
    }
    let extents: Vec<Option<Extent>> = entries
        .iter()
        .map(|e| {
            (e.sectors > 0).then(|| Extent {
                first: u64::from(e.first_lba),
                last: u64::from(e.first_lba) + u64::from(e.sectors) - 1,
            })
        })
        .collect();
    // An MBR entry can address at most 2^32 - 1 sectors (2 TiB).
    let last_usable = (total - 1).min(u64::from(u32::MAX));
    check_extents(&extents, 1, last_usable)
}

/// CHS address with the usual 255 heads x 63 sectors geometry; past cylinder 1023 the
/// conventional "maximum" 1023/254/63 that fdisk writes (everything reads the LBA fields).
fn chs(lba: u32) -> mbrman::CHS {
    const HEADS: u32 = 255;
    const SECTORS: u32 = 63;
    let cylinder = lba / (HEADS * SECTORS);
    if cylinder > 1023 {
        return mbrman::CHS::new(1023, 254, 63);
    }
    let rem = lba % (HEADS * SECTORS);
    mbrman::CHS::new(
        cylinder as u16,
        (rem / SECTORS) as u8,
        (rem % SECTORS + 1) as u8,
    )
}

fn mbrman_error(what: &str, e: mbrman::Error) -> TableError {
    match e {
        mbrman::Error::Io(source) => TableError::Io {
            what: what.into(),
            source,
        },
        other => TableError::Io {
            what: what.into(),
            source: std::io::Error::other(other.to_string()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disk::{MemTarget, Region};
    use std::process::Command;

    fn entry(first_lba: u32, sectors: u32, type_code: u8, bootable: bool) -> MbrEntry {
        MbrEntry {
            type_code,
            bootable,
            first_lba,
            sectors,
        }
    }

    /// `sfdisk --dump` of `path`, with the path replaced by IMG.
    pub(crate) fn sfdisk_dump(path: &std::path::Path) -> String {
        let out = Command::new("sfdisk")
            .arg("--dump")
            .arg(path)
            .output()
            .expect("sfdisk (package fdisk) must be installed");
        assert!(
            out.status.success(),
            "sfdisk --dump failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .unwrap()
            .replace(&path.display().to_string(), "IMG")
    }

    #[test]
    fn sfdisk_reads_what_was_written() {
        let file = // A name ending in a digit would make sfdisk call the partitions IMGp1.
        tempfile::Builder::new().suffix(".img").tempfile().unwrap();
        file.as_file().set_len(64 << 20).unwrap();
        let disk = Region::new(file.as_file(), 0, 64 << 20);
        let entries = [
            entry(2048, 81920, 0xef, false),
            entry(83968, 47104, 0x83, true),
        ];
        write_mbr(&disk, 0x5eed1234, &entries).unwrap();
        assert_eq!(
            sfdisk_dump(file.path()),
            "label: dos\nlabel-id: 0x5eed1234\ndevice: IMG\nunit: sectors\nsector-size: 512\n\n\
             IMG1 : start=        2048, size=       81920, type=ef\n\
             IMG2 : start=       83968, size=       47104, type=83, bootable\n"
        );
    }

    #[test]
    fn boot_code_is_kept_and_table_is_reproducible() {
        let disk = MemTarget::new(1 << 20);
        disk.write_at(&[0xfa; 440], 0).unwrap();
        write_mbr(&disk, 1, &[entry(2, 100, 0x83, false)]).unwrap();
        let first = disk.into_inner();
        assert!(first[..440].iter().all(|b| *b == 0xfa));
        assert_eq!(&first[510..512], &[0x55, 0xaa]);
        assert_eq!(&first[440..444], &1u32.to_le_bytes());
        let disk = MemTarget::new(1 << 20);
        disk.write_at(&[0xfa; 440], 0).unwrap();
        write_mbr(&disk, 1, &[entry(2, 100, 0x83, false)]).unwrap();
        assert_eq!(first, disk.into_inner());
    }

    #[test]
    fn bad_layouts_are_refused() {
        let disk = MemTarget::new(1 << 20); // 2048 sectors
        let err = |entries: &[MbrEntry]| write_mbr(&disk, 0, entries).unwrap_err();
        assert!(matches!(
            err(&[entry(0, 10, 0x83, false)]),
            TableError::OutOfDisk { index: 1, .. }
        ));
        assert!(matches!(
            err(&[entry(2000, 100, 0x83, false)]),
            TableError::OutOfDisk { index: 1, .. }
        ));
        assert!(matches!(
            err(&[entry(10, 100, 0x83, false), entry(50, 10, 0x83, false)]),
            TableError::Overlap { a: 1, b: 2, .. }
        ));
        assert!(matches!(
            err(&[entry(10, 0, 0x83, false)]),
            TableError::Empty { index: 1 }
        ));
        assert!(matches!(
            err(&[entry(10, 10, 0, false)]),
            TableError::Invalid { index: 1, .. }
        ));
        assert!(matches!(
            err(&[entry(10, 10, 0x05, false)]),
            TableError::Invalid { index: 1, .. }
        ));
        assert!(matches!(
            err(&[entry(1, 1, 0x83, false); 5]),
            TableError::TooMany { count: 5, .. }
        ));
        let odd = MemTarget::new(1000);
        assert!(matches!(
            write_mbr(&odd, 0, &[]),
            Err(TableError::UnalignedDisk { len: 1000 })
        ));
        // Nothing was written by the refused calls.
        assert!(disk.into_inner().iter().all(|b| *b == 0));
    }

    #[test]
    fn chs_follows_the_usual_geometry() {
        let c = chs(2048);
        assert_eq!((c.cylinder, c.head, c.sector), (0, 32, 33));
        let c = chs(u32::MAX);
        assert_eq!((c.cylinder, c.head, c.sector), (1023, 254, 63));
    }
}
