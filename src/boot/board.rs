//! U-Boot boards: where Guix's board images put the root partition and the raw firmware
//! blobs (built by the user: ingot builds no packages), and writing those blobs.
//!
//! Values from Guix's gnu/bootloader/u-boot.scm (the `write-file-on-device` offsets) and
//! gnu/system/images/*.scm (root offsets, GPT board partitions). Where Guix writes "at most
//! COUNT blocks" of a file, ingot refuses a bigger file instead of truncating it.

use std::path::Path;

use super::BootError;
use crate::disk::{Target, SECTOR};
use crate::fileio;

const KIB: u64 = 1024;
const MIB: u64 = 1024 * 1024;

/// The partition table a board image uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoardTable {
    Mbr,
    Gpt,
}

/// A firmware file written raw at a byte offset of the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Blob {
    /// Path relative to the firmware directory (U-Boot's build output names).
    pub file: &'static str,
    pub offset: u64,
    /// The most bytes the board leaves for it, when Guix bounds it.
    pub max_size: Option<u64>,
}

/// An unformatted GPT partition holding a blob; its GPT type GUID is the board's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoardPartition {
    pub label: &'static str,
    pub offset: u64,
    pub size: u64,
    pub type_guid: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Board {
    /// Guix's image name without "-raw" (the image type is `NAME-raw`).
    pub name: &'static str,
    /// The Guix bootloader whose disk-image installer writes these blobs.
    pub bootloader: &'static str,
    /// Other Guix bootloaders that write the same blobs.
    pub also: &'static [&'static str],
    /// The image type `NAME-raw` the prelude defines for the board (generated from here).
    pub image: BoardImage,
    pub table: BoardTable,
    /// Where the root partition starts: the raw-with-offset offset of MBR boards; on GPT boards,
    /// right after the board's own partitions.
    pub root_offset: u64,
    /// GPT boards: partitions before the root, in order.
    pub partitions: &'static [BoardPartition],
    pub blobs: &'static [Blob],
}

/// What the prelude's image type for a board says besides the layout above.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoardImage {
    /// Guix's image name (`pine64-disk-image`), when Guix gives one.
    pub image_name: Option<&'static str>,
    /// The prelude's platform variable (`aarch64-linux`), when the image sets one.
    pub platform: Option<&'static str>,
    /// Whether the prelude defines an image type for the board at all.
    pub defined: bool,
}

const fn image(image_name: Option<&'static str>, platform: Option<&'static str>) -> BoardImage {
    BoardImage {
        image_name,
        platform,
        defined: true,
    }
}

const fn blob(file: &'static str, offset: u64, max_size: Option<u64>) -> Blob {
    Blob {
        file,
        offset,
        max_size,
    }
}

/// Rockchip (install-rockchip-u-boot): idbloader at sector 64, u-boot.itb at sector 16384.
const ROCKCHIP: &[Blob] = &[
    blob("idbloader.img", 64 * SECTOR, None),
    blob("u-boot.itb", 16384 * SECTOR, None),
];
/// Allwinner 32-bit and the Pine64 LTS (install-allwinner-u-boot).
const ALLWINNER: &[Blob] = &[blob("u-boot-sunxi-with-spl.bin", 8 * KIB, None)];
const RISCV_PARTITIONS_SPL: u64 = 34 * SECTOR;
const RISCV_PARTITIONS_UBOOT: u64 = 2082 * SECTOR;

const fn rockchip(
    name: &'static str,
    bootloader: &'static str,
    image_name: Option<&'static str>,
) -> Board {
    Board {
        name,
        bootloader,
        also: &[],
        image: image(image_name, Some("aarch64-linux")),
        table: BoardTable::Mbr,
        root_offset: 16 * MIB,
        partitions: &[],
        blobs: ROCKCHIP,
    }
}

const fn riscv(
    name: &'static str,
    bootloader: &'static str,
    image_name: Option<&'static str>,
    partitions: &'static [BoardPartition],
    blobs: &'static [Blob],
) -> Board {
    Board {
        name,
        bootloader,
        also: &[],
        // Guix's RISC-V images leave the platform to the operating system.
        image: image(image_name, None),
        table: BoardTable::Gpt,
        root_offset: RISCV_PARTITIONS_UBOOT + 4 * MIB,
        partitions,
        blobs,
    }
}

pub static BOARDS: &[Board] = &[
    Board {
        name: "pine64",
        bootloader: "u-boot-pine64-lts-bootloader",
        also: &["u-boot-pine64-plus-bootloader"],
        image: image(Some("pine64-disk-image"), Some("aarch64-linux")),
        table: BoardTable::Mbr,
        root_offset: MIB,
        partitions: &[],
        blobs: ALLWINNER,
    },
    rockchip(
        "rock64",
        "u-boot-rock64-rk3328-bootloader",
        Some("rock64-disk-image"),
    ),
    rockchip(
        "rock-4c-plus",
        "u-boot-rock-4c-plus-rk3399-bootloader",
        Some("rock-4c-plus-disk-image"),
    ),
    rockchip(
        "orangepi-r1-plus-lts-rk3328",
        "u-boot-orangepi-r1-plus-lts-rk3328-bootloader",
        Some("orangepi-r1-plus-lts-rk3328-disk-image"),
    ),
    rockchip(
        "pinebook-pro",
        "u-boot-pinebook-pro-rk3399-bootloader",
        None,
    ),
    Board {
        // install-imx-u-boot
        name: "novena",
        bootloader: "u-boot-novena-bootloader",
        also: &[],
        image: image(Some("novena-disk-image"), Some("armv7-linux")),
        table: BoardTable::Mbr,
        root_offset: MIB,
        partitions: &[],
        blobs: &[blob("SPL", KIB, None), blob("u-boot.img", 69 * KIB, None)],
    },
    Board {
        name: "a20-olinuxino-lime2",
        bootloader: "u-boot-a20-olinuxino-lime2-bootloader",
        also: &[],
        image: image(Some("a20-olinuxino-lime2-disk-image"), Some("armv7-linux")),
        table: BoardTable::Mbr,
        root_offset: 8192 * SECTOR,
        partitions: &[],
        blobs: ALLWINNER,
    },
    Board {
        // install-beaglebone-black-u-boot: the ROM reads MLO at 0x20000, MLO reads
        // u-boot.img at 0x60000.
        name: "am335x-evm",
        bootloader: "u-boot-beaglebone-black-bootloader",
        also: &["u-boot-am335x-evm-bootloader"],
        // Guix's am335x-evm-raw (December 2025) gives its image no name of its own.
        image: image(None, Some("armv7-linux")),
        table: BoardTable::Mbr,
        root_offset: 4 * MIB,
        partitions: &[],
        blobs: &[
            blob("MLO", 256 * SECTOR, Some(256 * SECTOR)),
            blob("u-boot.img", 768 * SECTOR, Some(1024 * SECTOR)),
        ],
    },
    riscv(
        "unmatched",
        "u-boot-sifive-unmatched-bootloader",
        Some("unmatched-disk-image"),
        &[
            BoardPartition {
                label: "spl",
                offset: RISCV_PARTITIONS_SPL,
                size: MIB,
                type_guid: "5b193300-fc78-40cd-8002-e86c45580b47",
            },
            BoardPartition {
                label: "uboot",
                offset: RISCV_PARTITIONS_UBOOT,
                size: 4 * MIB,
                type_guid: "2e54b353-1271-4842-806f-e436d6af6985",
            },
        ],
        &[
            blob("spl/u-boot-spl.bin", RISCV_PARTITIONS_SPL, Some(MIB)),
            blob("u-boot.itb", RISCV_PARTITIONS_UBOOT, Some(4 * MIB)),
        ],
    ),
    riscv(
        "visionfive2",
        "u-boot-starfive-visionfive2-bootloader",
        None,
        &[
            BoardPartition {
                label: "spl",
                offset: RISCV_PARTITIONS_SPL,
                size: MIB,
                type_guid: "2e54b353-1271-4842-806f-e436d6af6985",
            },
            BoardPartition {
                label: "uboot",
                offset: RISCV_PARTITIONS_UBOOT,
                size: 4 * MIB,
                type_guid: "bc13c2ff-59e6-4262-a352-b275fd6f7172",
            },
        ],
        &[
            blob(
                "spl/u-boot-spl.bin.normal.out",
                RISCV_PARTITIONS_SPL,
                Some(MIB),
            ),
            blob("u-boot.itb", RISCV_PARTITIONS_UBOOT, Some(4 * MIB)),
        ],
    ),
];

/// The board called `name` (or its image type, `name-raw`).
pub fn board(name: &str) -> Option<&'static Board> {
    let name = name.strip_suffix("-raw").unwrap_or(name);
    BOARDS.iter().find(|b| b.name == name)
}

/// The board whose blobs a Guix U-Boot bootloader (e.g. `u-boot-rock64-rk3328-bootloader`)
/// writes.
pub fn board_for_bootloader(bootloader: &str) -> Option<&'static Board> {
    BOARDS
        .iter()
        .find(|b| b.bootloader == bootloader || b.also.contains(&bootloader))
}

/// A partition of the image, as the blob checks see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiskExtent<'a> {
    /// 1-based, as in the partition table.
    pub index: usize,
    pub label: &'a str,
    pub offset: u64,
    pub size: u64,
    /// An unformatted partition may hold a blob written at its start (the board's own).
    pub unformatted: bool,
}

/// Why `blob` cannot be written where `board` puts it, with `partitions` on the disk: it
/// would land in a partition other than an unformatted one starting where the blob does and
/// holding it whole. `size` is the blob's, or None before it is known (a dry run without the
/// firmware: only the blob's first byte is checked then). A blob written over a file system
/// (u-boot.itb at sector 2082 inside an efi-raw image's ESP) corrupts it silently.
pub fn blob_clash(
    board: &Board,
    blob: &Blob,
    size: Option<u64>,
    partitions: &[DiskExtent],
) -> Option<String> {
    let end = blob.offset.saturating_add(size.unwrap_or(1));
    partitions.iter().find_map(|p| {
        let p_end = p.offset.saturating_add(p.size);
        if blob.offset >= p_end || p.offset >= end {
            return None;
        }
        if p.unformatted && p.offset == blob.offset {
            return (end > p_end).then(|| {
                format!(
                    "is bigger than partition {} ({}), the {} bytes that hold it",
                    p.index, p.label, p.size
                )
            });
        }
        let advice = match board.table {
            BoardTable::Mbr => format!(
                "the {} board needs its first partition at byte {} or later",
                board.name, board.root_offset
            ),
            BoardTable::Gpt if board.image.defined => format!(
                "the {} board writes it at byte {}: build with -t {}-raw, whose partitions \
                 hold the board's blobs",
                board.name, blob.offset, board.name
            ),
            BoardTable::Gpt => format!(
                "the {} board writes it at byte {}: give the image unformatted partitions at \
                 the board's offsets",
                board.name, blob.offset
            ),
        };
        Some(format!(
            "would overlap partition {} ({}, bytes {}..{p_end}): {advice}",
            p.index, p.label, p.offset
        ))
    })
}

/// Writes each of `board`'s blobs, read from `firmware_dir`, at its offset. Everything is
/// checked before anything is written: a missing or empty file, a file bigger than its
/// slot, one that would overlap the partition table, another blob or a partition of
/// `partitions` (see `blob_clash`).
pub fn install_blobs(
    disk: &dyn Target,
    board: &Board,
    firmware_dir: &Path,
    partitions: &[DiskExtent],
) -> Result<(), BootError> {
    let mut sized = Vec::with_capacity(board.blobs.len());
    let mut hosts = Vec::with_capacity(board.blobs.len());
    for b in board.blobs {
        let path = firmware_dir.join(b.file);
        // A declared input: read later only if it is still this file (see content::HostFile).
        let (host, md) =
            crate::content::HostFile::declared(&path).map_err(|_| BootError::BlobMissing {
                file: b.file.to_string(),
                dir: firmware_dir.to_path_buf(),
            })?;
        hosts.push(host);
        sized.push((b, md.len()));
    }
    let table_end = match board.table {
        BoardTable::Mbr => SECTOR,
        BoardTable::Gpt => 34 * SECTOR,
    };
    for (i, &(b, size)) in sized.iter().enumerate() {
        let fail = |reason: String| BootError::BlobDoesNotFit {
            file: b.file.to_string(),
            size,
            offset: b.offset,
            reason,
        };
        let end = b.offset.saturating_add(size);
        if size == 0 {
            return Err(fail("is empty: is it the right file?".into()));
        }
        if let Some(max) = b.max_size.filter(|max| size > *max) {
            return Err(fail(format!(
                "is bigger than the {max} bytes the {} board leaves for it",
                board.name
            )));
        }
        if b.offset < table_end {
            return Err(fail(format!(
                "would overlap the partition table (bytes 0..{table_end})"
            )));
        }
        if let Some(reason) = blob_clash(board, b, Some(size), partitions) {
            return Err(fail(reason));
        }
        if end > disk.len() {
            return Err(fail(format!("ends past the {}-byte disk", disk.len())));
        }
        if let Some((other, _)) = sized.iter().enumerate().find_map(|(j, &(o, osize))| {
            (j != i && b.offset < o.offset + osize && o.offset < end).then_some((o, osize))
        }) {
            return Err(fail(format!(
                "would overlap {} at byte {}",
                other.file, other.offset
            )));
        }
    }
    for ((b, size), host) in sized.into_iter().zip(&hosts) {
        copy_blob(disk, host, b.file, b.offset, size)?;
    }
    Ok(())
}

fn copy_blob(
    disk: &dyn Target,
    host: &crate::content::HostFile,
    name: &str,
    offset: u64,
    size: u64,
) -> Result<(), BootError> {
    let path = &host.path;
    let mut file = host
        .open(size)
        .map_err(BootError::io(format!("opening {}", path.display())))?;
    let mut buf = vec![0u8; 1 << 20];
    fileio::copy_exact(&mut file, size, &mut buf, false, |bytes, at| {
        disk.write_at(bytes, offset + at)
            .map_err(BootError::io(format!(
                "writing {name} at byte {}",
                offset + at
            )))
    })
    .map_err(|e| match e {
        fileio::CopyError::Read(e) => BootError::io(format!("reading {}", path.display()))(e),
        fileio::CopyError::Write(e) => e,
        fileio::CopyError::Changed { expected, got } => BootError::Io {
            what: format!("copying {}", path.display()),
            source: fileio::changed(path, &format!("expected {expected} bytes, read {got}")),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::disk::gpt::{write_gpt, GptEntry};
    use crate::disk::mbr::{write_mbr, MbrEntry};
    use crate::disk::{MemTarget, Region};
    use crate::model::Uuid;
    use std::os::unix::fs::FileExt;
    use std::process::Command;

    /// One formatted root partition from `offset` to 32 MiB.
    fn root_at(offset: u64) -> [DiskExtent<'static>; 1] {
        [DiskExtent {
            index: 1,
            label: "root",
            offset,
            size: (32 << 20) - offset,
            unformatted: false,
        }]
    }

    fn firmware(dir: &Path, board: &Board, sizes: &[u64]) {
        for (i, (b, size)) in board.blobs.iter().zip(sizes).enumerate() {
            let path = dir.join(b.file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, vec![0xa0 + i as u8; *size as usize]).unwrap();
        }
    }

    fn tool(args: &[&str], path: &Path) -> String {
        let out = Command::new(args[0])
            .args(&args[1..])
            .arg(path)
            .output()
            .expect("fdisk/gdisk installed");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    #[test]
    fn guix_values() {
        let b = board("rock64-raw").unwrap();
        assert_eq!(b.root_offset, 16 << 20);
        assert_eq!(
            b.blobs.iter().map(|b| b.offset).collect::<Vec<_>>(),
            [32768, 8388608]
        );
        assert_eq!(board("pine64").unwrap().blobs[0].offset, 8192);
        assert_eq!(board("a20-olinuxino-lime2").unwrap().root_offset, 4 << 20);
        assert_eq!(board("novena").unwrap().blobs[1].offset, 69 * 1024);
        assert_eq!(
            board("visionfive2").unwrap().root_offset,
            2082 * 512 + (4 << 20)
        );
        assert_eq!(
            board_for_bootloader("u-boot-pinebook-pro-rk3399-bootloader").map(|b| b.name),
            Some("pinebook-pro")
        );
        assert!(board("raspberry-pi").is_none());
        for b in BOARDS {
            for blob in b.blobs {
                assert!(blob.offset < b.root_offset, "{}: {}", b.name, blob.file);
            }
        }
    }

    #[test]
    fn mbr_board_blobs_keep_the_table() {
        let b = board("rock64").unwrap();
        let dir = tempfile::tempdir().unwrap();
        firmware(dir.path(), b, &[100_000, 900_000]);
        let size = 32u64 << 20;
        let img = // A name ending in a digit would make sfdisk call the partitions IMGp1.
        tempfile::Builder::new().suffix(".img").tempfile().unwrap();
        img.as_file().set_len(size).unwrap();
        let disk = Region::new(img.as_file(), 0, size);
        let first = (b.root_offset / 512) as u32;
        let entry = MbrEntry {
            type_code: 0x83,
            bootable: true,
            first_lba: first,
            sectors: (size / 512) as u32 - first,
        };
        write_mbr(&disk, 0xcafe_f00d, &[entry]).unwrap();
        install_blobs(&disk, b, dir.path(), &root_at(b.root_offset)).unwrap();
        let dump = tool(&["sfdisk", "--dump"], img.path());
        assert!(
            dump.contains("start=       32768, size=       32768, type=83, bootable"),
            "{dump}"
        );
        for (i, (blob, len)) in b.blobs.iter().zip([100_000usize, 900_000]).enumerate() {
            let mut got = vec![0u8; len + 1];
            img.as_file().read_exact_at(&mut got, blob.offset).unwrap();
            assert!(got[..len].iter().all(|x| *x == 0xa0 + i as u8));
            assert_eq!(got[len], 0);
        }
    }

    #[test]
    fn gpt_board_blobs_fill_their_partitions() {
        let b = board("visionfive2").unwrap();
        let dir = tempfile::tempdir().unwrap();
        firmware(dir.path(), b, &[150_000, 3 << 20]);
        let size = 16u64 << 20;
        let img = // A name ending in a digit would make sfdisk call the partitions IMGp1.
        tempfile::Builder::new().suffix(".img").tempfile().unwrap();
        img.as_file().set_len(size).unwrap();
        let disk = Region::new(img.as_file(), 0, size);
        let mut entries: Vec<GptEntry> = b
            .partitions
            .iter()
            .enumerate()
            .map(|(i, p)| GptEntry {
                type_guid: Uuid::parse(p.type_guid).unwrap(),
                part_guid: Uuid::from_hash_bytes(&[i as u8 + 1; 16]),
                first_lba: p.offset / 512,
                last_lba: (p.offset + p.size) / 512 - 1,
                name: p.label.into(),
                attributes: 0,
            })
            .collect();
        entries.push(GptEntry {
            type_guid: Uuid::parse("0fc63daf-8483-4772-8e79-3d69d8477de4").unwrap(),
            part_guid: Uuid::from_hash_bytes(&[9; 16]),
            first_lba: b.root_offset / 512,
            last_lba: size / 512 - 34,
            name: "Guix_image".into(),
            attributes: 0,
        });
        let guid = Uuid::from_hash_bytes(&[7; 16]);
        let extents: Vec<DiskExtent> = b
            .partitions
            .iter()
            .enumerate()
            .map(|(i, p)| DiskExtent {
                index: i + 1,
                label: p.label,
                offset: p.offset,
                size: p.size,
                unformatted: true,
            })
            .chain([DiskExtent {
                index: 3,
                label: "Guix_image",
                offset: b.root_offset,
                size: size - b.root_offset - 34 * 512,
                unformatted: false,
            }])
            .collect();
        install_blobs(&disk, b, dir.path(), &extents).unwrap();
        write_gpt(&disk, guid, &entries).unwrap();
        let verify = tool(&["sgdisk", "-v"], img.path());
        assert!(verify.contains("No problems found"), "{verify}");
        let dump = tool(&["sfdisk", "--dump"], img.path());
        assert!(
            dump.contains("start=          34, size=        2048, type=2E54B353"),
            "{dump}"
        );
        assert!(
            dump.contains("start=        2082, size=        8192, type=BC13C2FF"),
            "{dump}"
        );
        let mut got = vec![0u8; 16];
        img.as_file()
            .read_exact_at(&mut got, 2082 * 512 + (3 << 20) - 16)
            .unwrap();
        assert!(got.iter().all(|x| *x == 0xa1));
    }

    #[test]
    fn refusals() {
        let disk = MemTarget::new(32 << 20);
        let dir = tempfile::tempdir().unwrap();
        let b = board("rock64").unwrap();
        let err = install_blobs(&disk, b, dir.path(), &root_at(b.root_offset)).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("idbloader.img") && text.contains(&dir.path().display().to_string()),
            "{text}"
        );

        firmware(dir.path(), b, &[100, 9 << 20]);
        let err = install_blobs(&disk, b, dir.path(), &root_at(b.root_offset)).unwrap_err();
        assert!(
            err.to_string()
                .contains("would overlap partition 1 (root, bytes 16777216..33554432)"),
            "{err}"
        );
        firmware(dir.path(), b, &[9 << 20, 100]);
        let err = install_blobs(&disk, b, dir.path(), &root_at(b.root_offset)).unwrap_err();
        assert!(
            err.to_string().contains("would overlap u-boot.itb"),
            "{err}"
        );
        firmware(dir.path(), b, &[0, 100]);
        let err = install_blobs(&disk, b, dir.path(), &root_at(b.root_offset)).unwrap_err();
        assert!(err.to_string().contains("is empty"), "{err}");
        firmware(dir.path(), b, &[100, 100]);
        let err = install_blobs(&disk, b, dir.path(), &root_at(1 << 20)).unwrap_err();
        assert!(
            err.to_string().contains("at byte 16777216 or later"),
            "{err}"
        );

        let u = board("unmatched").unwrap();
        firmware(dir.path(), u, &[2 << 20, 100]);
        let err = install_blobs(&disk, u, dir.path(), &root_at(34 * 512)).unwrap_err();
        assert!(
            err.to_string().contains("bigger than the 1048576 bytes"),
            "{err}"
        );
        // The unmatched board's u-boot.itb at sector 2082 lands inside an efi-raw image's
        // ESP (from 1 MiB): refused, with the image type whose partitions hold it.
        firmware(dir.path(), u, &[100, 100]);
        let esp = [DiskExtent {
            index: 1,
            label: "GNU-ESP",
            offset: 1 << 20,
            size: 40 << 20,
            unformatted: false,
        }];
        let err = install_blobs(&disk, u, dir.path(), &esp).unwrap_err();
        assert!(
            err.to_string().contains(
                "(100 bytes at byte 1065984) would overlap partition 1 (GNU-ESP, \
                 bytes 1048576..42991616): the unmatched board writes it at byte 1065984: build \
                 with -t unmatched-raw"
            ),
            "{err}"
        );
        // Without the firmware (a dry run) the blob's offset alone is checked.
        let itb = &u.blobs[1];
        assert!(blob_clash(u, itb, None, &esp).is_some());
        assert_eq!(blob_clash(u, itb, None, &root_at(u.root_offset)), None);
        // Nothing was written by any refused call.
        assert!(disk.into_inner().iter().all(|x| *x == 0));
    }
}
