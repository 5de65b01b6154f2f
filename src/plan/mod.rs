//! The plan: an image definition resolved into an exact byte layout — sizes, offsets, table
//! entries and identifiers — and refused, before anything is written, when it cannot be built.
//!
//! ingot differs from Guix here in one visible way: partitions whose offset is 0 start at the
//! next 1 MiB boundary (Guix/genimage use 512 bytes); `show` says so.

mod ids;
mod render;
mod types;

pub use crate::format::default_file_name;
pub use ids::IdSource;
pub use render::{render_json, render_table};
pub use types::{gpt_type, mbr_type, PartType, GPT_EFI_SYSTEM, GPT_LINUX_FS, GPT_MS_BASIC_DATA};

use crate::content::Tree;
use crate::format::{FormatPlan, Layout};
use crate::model::{
    FileSystemKind, Image, ImageFormat, PartitionFlag, PartitionTableType, SizeSpec, SourceLoc,
    Uuid,
};

pub use crate::disk::SECTOR;
pub const MIB: u64 = 1 << 20;
/// Sectors GPT needs at each end: protective MBR + header + 128 entries of 128 bytes; the backup
/// at the end needs all but the protective MBR.
pub const GPT_HEAD_BYTES: u64 = 34 * SECTOR;
pub const GPT_TAIL_BYTES: u64 = 33 * SECTOR;

/// How big a file system must be to hold a tree: the file system writers answer.
pub trait FsSizer {
    /// The smallest `kind` file system that holds `tree`, in bytes. `kind` is never `Vfat`.
    fn min_size(
        &self,
        kind: FileSystemKind,
        tree: &Tree,
        options: &[String],
    ) -> Result<u64, String>;
    /// The FAT variant a "vfat" partition of `size` bytes gets.
    fn vfat_kind(&self, size: u64) -> FileSystemKind;
}

#[derive(Debug, Clone)]
pub struct PlanOptions {
    pub ids: IdSource,
    /// Every time stamp ingot writes itself (superblocks, generated files).
    pub timestamp: i64,
    /// Where partitions with offset 0 start; 1 MiB by default.
    pub alignment: u64,
}

#[derive(Debug, Clone)]
pub struct PlannedPartition {
    /// 1-based, as in the partition table.
    pub index: usize,
    pub label: String,
    pub offset: u64,
    pub size: u64,
    /// As written in the definition ("vfat" stays "vfat").
    pub declared_file_system: FileSystemKind,
    /// What is built: vfat becomes fat16 or fat32.
    pub file_system: FileSystemKind,
    pub file_system_options: Vec<String>,
    pub flags: Vec<PartitionFlag>,
    /// File system UUID (the partition's `uuid`, or derived).
    pub fs_uuid: Uuid,
    /// GPT unique partition GUID (derived).
    pub part_guid: Uuid,
    /// FAT volume serial (derived).
    pub volume_id: u32,
    pub part_type: Option<PartType>,
    pub size_guessed: bool,
    pub content: Tree,
    pub location: Option<SourceLoc>,
}

impl PlannedPartition {
    /// Where the partition ends; `plan` checked that this does not overflow.
    pub fn end(&self) -> u64 {
        self.offset.saturating_add(self.size)
    }
    pub fn has_flag(&self, flag: PartitionFlag) -> bool {
        self.flags.contains(&flag)
    }
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub image: Image,
    /// The default output file name.
    pub file_name: String,
    pub format: ImageFormat,
    /// What the format needs beyond the shared layout: [`plan`] starts it, the format's own
    /// planning (`Format::plan`) completes it.
    pub layout: FormatPlan,
    /// Total bytes of the disk (disk formats), or the sum of partition sizes otherwise.
    pub size: u64,
    pub disk_guid: Uuid,
    pub mbr_signature: u32,
    pub partitions: Vec<PlannedPartition>,
    /// Index into `partitions` of the root partition (first with the boot flag).
    pub root: Option<usize>,
    pub timestamp: i64,
    pub alignment: u64,
    pub seed: String,
    /// The kernel and initrd the image boots (set by the build step for images that boot).
    pub boot_files: Option<crate::build::boot_files::BootFiles>,
    /// What the operating-system's fields replaced in the root tree (set by the build step).
    pub notes: Vec<String>,
    /// The owner rule applied to the root tree, when there is one (set by the build step).
    pub owners: Option<String>,
}

impl Plan {
    /// The partition table of disk formats.
    pub fn table(&self) -> Option<PartitionTableType> {
        match self.layout {
            FormatPlan::Disk { table, .. } => Some(table),
            _ => None,
        }
    }
    pub fn root_partition(&self) -> Option<&PlannedPartition> {
        self.root.map(|i| &self.partitions[i])
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PlanError {
    #[error("{at}partition {index} ({label}): {message}")]
    Partition {
        at: String,
        index: usize,
        label: String,
        message: String,
    },
    #[error("{at}image: {message}")]
    Image { at: String, message: String },
}

fn at(loc: &Option<SourceLoc>) -> String {
    loc.as_ref().map(|l| format!("{l}: ")).unwrap_or_default()
}

/// `value` rounded up to a multiple of `to`, or `None` past `u64::MAX`.
fn align_up(value: u64, to: u64) -> Option<u64> {
    value.div_ceil(to).checked_mul(to)
}

/// The message when a size or an offset leaves the range ingot can address.
const TOO_FAR: &str = "is past the largest disk ingot can address (2^64 bytes)";

/// The checks that need only the definition: run before any content is read.
pub fn check_image(image: &Image) -> Result<(), PlanError> {
    let image_err = |message: String| PlanError::Image {
        at: at(&image.location),
        message,
    };
    let layout = crate::format::row(image.format).layout;
    let is_disk = layout == Layout::Disk;
    let table = is_disk.then_some(image.partition_table_type);
    if is_disk && image.partitions.is_empty() {
        return Err(image_err(
            "a disk image needs at least one partition (add one to `partitions`)".into(),
        ));
    }
    check_bootloader(image)?;
    if let (Some(PartitionTableType::Mbr), Some(os)) = (table, &image.operating_system) {
        if let Some(bl) = &os.bootloader {
            if bl.bootloader.is_efi() {
                return Err(PlanError::Image {
                    at: at(&bl.location.clone().or(image.location.clone())),
                    message: format!(
                        "EFI bootloader required with GPT partitioning: {} cannot boot from an \
                         MBR image (use -t efi-raw, or grub-bootloader)",
                        bl.bootloader.name()
                    ),
                });
            }
        }
    }
    if table == Some(PartitionTableType::Mbr) && image.partitions.len() > 4 {
        return Err(image_err(format!(
            "an MBR table holds at most 4 primary partitions, this image has {}",
            image.partitions.len()
        )));
    }
    if table == Some(PartitionTableType::Gpt) && image.partitions.len() > 128 {
        return Err(image_err("a GPT table holds at most 128 partitions".into()));
    }

    Ok(())
}

/// An image that boots needs a bootloader ingot installs, for the image's platform.
fn check_bootloader(image: &Image) -> Result<(), PlanError> {
    let boots = crate::format::row(image.format).layout != Layout::Archive;
    let Some(bl) = image
        .operating_system
        .as_ref()
        .and_then(|os| os.bootloader.as_ref())
        .filter(|_| boots)
    else {
        return Ok(());
    };
    let err = |message: String| PlanError::Image {
        at: at(&bl.location.clone().or(image.location.clone())),
        message,
    };
    use crate::model::Bootloader;
    if let Bootloader::Other(name) = &bl.bootloader {
        return Err(err(format!(
            "{name}: ingot cannot install this bootloader (it installs grub-bootloader, \
             grub-minimal-bootloader, grub-efi-bootloader, grub-efi-removable-bootloader, \
             grub-efi32-bootloader and the U-Boot bootloaders of its board image types)"
        )));
    }
    let platform = image.platform.as_deref().unwrap_or("x86_64-linux");
    let x86 = ["x86_64", "i386", "i486", "i586", "i686"]
        .iter()
        .any(|p| platform.starts_with(p));
    if !x86 && matches!(bl.bootloader, Bootloader::GrubBios | Bootloader::GrubEfi32) {
        return Err(err(format!(
            "{} is an x86 bootloader, but the image's platform is {platform}",
            bl.bootloader.name()
        )));
    }
    Ok(())
}

/// Resolves `image`, whose partitions' content trees are `contents` (same order), into a plan.
pub fn plan(
    image: &Image,
    contents: Vec<Tree>,
    sizer: &dyn FsSizer,
    options: &PlanOptions,
) -> Result<Plan, PlanError> {
    let image_err = |message: String| PlanError::Image {
        at: at(&image.location),
        message,
    };
    if contents.len() != image.partitions.len() {
        return Err(image_err(
            "internal: one content tree per partition expected".into(),
        ));
    }
    check_image(image)?;
    let layout = crate::format::row(image.format).layout;
    let is_disk = layout == Layout::Disk;
    let table = is_disk.then_some(image.partition_table_type);

    let root = image.root_partition_index();
    let image_size = match image.size {
        SizeSpec::Bytes(n) => Some(n),
        SizeSpec::Guess => None,
    };
    // Guix: the image size is the size of a 'guess root partition; otherwise it bounds the disk.
    let root_takes_image_size =
        image_size.is_some() && root.is_some_and(|i| image.partitions[i].size == SizeSpec::Guess);

    let table_reserved = match table {
        Some(PartitionTableType::Gpt) => GPT_HEAD_BYTES,
        Some(PartitionTableType::Mbr) => SECTOR,
        None => 0,
    };
    let mut cursor = table_reserved;
    let mut planned = Vec::with_capacity(image.partitions.len());
    for (i, (p, content)) in image.partitions.iter().zip(contents).enumerate() {
        let index = i + 1;
        let perr = |message: String| PlanError::Partition {
            at: at(&p.location.clone().or(image.location.clone())),
            index,
            label: p.label.clone(),
            message,
        };
        if p.has_flag(PartitionFlag::Esp) && !p.file_system.is_fat() {
            return Err(perr(format!(
                "the esp flag needs a FAT file system (vfat, fat16 or fat32), not {}",
                p.file_system
            )));
        }
        if is_disk {
            crate::file_system::row(p.file_system)
                .writer
                .check_label(p.file_system, &p.label)
                .map_err(&perr)?;
        } else if layout == Layout::Iso {
            // The label is the volume id, not an ext4 label: ISO's rule, 32 characters.
            crate::file_system::iso::check_label(&p.label).map_err(&perr)?;
        }
        // Sizing a file system can mean laying it out (ext on a big tree: ~0.5 s), so each
        // kind is sized once. A non-disk format (the ISO's partition) gets no file system of
        // its own: its content is what must fit.
        let mut sized: Vec<(FileSystemKind, u64)> = Vec::new();
        let mut content_min = |kind: FileSystemKind| -> Result<u64, PlanError> {
            if kind == FileSystemKind::Unformatted {
                return Ok(0);
            }
            if !is_disk {
                return Ok(content.apparent_size());
            }
            if let Some((_, min)) = sized.iter().find(|(k, _)| *k == kind) {
                return Ok(*min);
            }
            let min = sizer
                .min_size(kind, &content, &p.file_system_options)
                .map_err(&perr)?;
            sized.push((kind, min));
            Ok(min)
        };
        let (size, guessed) = match p.size {
            SizeSpec::Bytes(n) => (n, false),
            SizeSpec::Guess if root_takes_image_size && Some(i) == root => {
                (image_size.unwrap_or_default(), false)
            }
            SizeSpec::Guess => {
                let kind = if p.file_system == FileSystemKind::Vfat {
                    FileSystemKind::Fat16
                } else {
                    p.file_system
                };
                let mut min = content_min(kind)?;
                if p.file_system == FileSystemKind::Vfat && sizer.vfat_kind(min) != kind {
                    min = content_min(FileSystemKind::Fat32)?;
                }
                let guess = min.saturating_add(min / 4).max(MIB);
                let aligned = align_up(guess, options.alignment.max(SECTOR))
                    .ok_or_else(|| perr(format!("the guessed size {guess} {TOO_FAR}")))?;
                (aligned, true)
            }
        };
        // Partitions are whole sectors: a size like 100MB (195312.5 sectors) is rounded down,
        // as mke2fs rounds Guix's sizes down to whole blocks.
        let size = size - size % SECTOR;
        if size == 0 {
            return Err(perr(
                "size is smaller than one 512-byte sector; give at least 512 bytes or 'guess"
                    .into(),
            ));
        }
        let file_system = match p.file_system {
            FileSystemKind::Vfat => sizer.vfat_kind(size),
            k => k,
        };
        let needed = content_min(file_system)?;
        if needed > size {
            return Err(perr(format!(
                "the content needs a {file_system} file system of at least {needed} bytes \
                 ({:.1} MiB), but the size is {size} bytes; enlarge `size` or use 'guess",
                needed as f64 / MIB as f64
            )));
        }
        let offset = if !is_disk {
            0
        } else if p.offset != 0 {
            p.offset
        } else {
            align_up(cursor, options.alignment.max(SECTOR))
                .ok_or_else(|| perr(format!("the offset after {cursor} {TOO_FAR}")))?
        };
        let end = offset.checked_add(size).ok_or_else(|| {
            perr(format!(
                "offset {offset} + size {size} is past the largest disk ingot can address (2^64 bytes)"
            ))
        })?;
        if is_disk {
            if offset % SECTOR != 0 {
                return Err(perr(format!(
                    "offset {offset} is not a multiple of 512 bytes (sectors)"
                )));
            }
            if offset < table_reserved {
                return Err(perr(format!(
                    "offset {offset} starts inside the partition table, which takes the first \
                     {table_reserved} bytes"
                )));
            }
        }
        let part_type = match table {
            Some(PartitionTableType::Mbr) => Some(PartType::Mbr(mbr_type(p))),
            Some(PartitionTableType::Gpt) => Some(PartType::Gpt(gpt_type(p).ok_or_else(|| {
                perr(
                    "an unformatted GPT partition needs a `uuid`: it is used as the \
                      partition type GUID"
                        .into(),
                )
            })?)),
            None => None,
        };
        if table == Some(PartitionTableType::Mbr) {
            let limit = u32::MAX as u64 * SECTOR;
            if end > limit {
                return Err(perr("MBR tables address at most 2 TiB; use gpt".into()));
            }
        }
        let fs_uuid = match (p.file_system, p.uuid, table) {
            // an unformatted GPT partition's uuid is its type, not a file system's
            (FileSystemKind::Unformatted, _, _) => options.ids.uuid("fs-uuid", index),
            (_, Some(u), _) => u,
            _ => options.ids.uuid("fs-uuid", index),
        };
        cursor = end;
        planned.push(PlannedPartition {
            index,
            label: p.label.clone(),
            offset,
            size,
            declared_file_system: p.file_system,
            file_system,
            file_system_options: p.file_system_options.clone(),
            flags: p.flags.clone(),
            fs_uuid,
            part_guid: options.ids.uuid("partition-guid", index),
            volume_id: p
                .fat_serial
                .unwrap_or_else(|| options.ids.u32("fat-volume-id", index)),
            part_type,
            size_guessed: guessed,
            content,
            location: p.location.clone(),
        });
    }

    if is_disk {
        let mut by_start: Vec<&PlannedPartition> = planned.iter().collect();
        by_start.sort_by_key(|p| p.offset);
        for pair in by_start.windows(2) {
            if pair[1].offset < pair[0].end() {
                return Err(PlanError::Partition {
                    at: at(&pair[1].location.clone().or(image.location.clone())),
                    index: pair[1].index,
                    label: pair[1].label.clone(),
                    message: format!(
                        "overlaps partition {} ({}): it starts at {} but {} ends at {}",
                        pair[0].index,
                        pair[0].label,
                        pair[1].offset,
                        pair[0].label,
                        pair[0].end()
                    ),
                });
            }
        }
    }
    let last_end = planned.iter().map(PlannedPartition::end).max().unwrap_or(0);
    let size = if !is_disk {
        planned
            .iter()
            .try_fold(0u64, |sum, p| sum.checked_add(p.size))
            .ok_or_else(|| image_err(format!("the partitions' total size {TOO_FAR}")))?
    } else {
        let tail = if table == Some(PartitionTableType::Gpt) {
            GPT_TAIL_BYTES
        } else {
            0
        };
        let needed = last_end
            .checked_add(tail)
            .ok_or_else(|| image_err(format!("the backup GPT after {last_end} {TOO_FAR}")))?;
        match image_size {
            Some(fixed) if !root_takes_image_size => {
                if needed > fixed {
                    let culprit = planned
                        .iter()
                        .find(|p| p.end().saturating_add(tail) > fixed)
                        .or(planned.last());
                    return Err(match culprit {
                        Some(p) => PlanError::Partition {
                            at: at(&p.location.clone().or(image.location.clone())),
                            index: p.index,
                            label: p.label.clone(),
                            message: format!(
                                "ends at {}, past the image size {fixed}{}",
                                p.end(),
                                if tail > 0 {
                                    " (GPT keeps its last 16896 bytes for the backup table)"
                                } else {
                                    ""
                                }
                            ),
                        },
                        None => image_err(format!("image size {fixed} is too small")),
                    });
                }
                fixed
            }
            _ => align_up(needed, MIB)
                .ok_or_else(|| image_err(format!("the disk size {needed} {TOO_FAR}")))?,
        }
    };

    Ok(Plan {
        image: image.clone(),
        file_name: crate::format::default_file_name(image),
        format: image.format,
        layout: match (crate::format::row(image.format).layout, table) {
            (Layout::Disk, Some(table)) => FormatPlan::Disk {
                table,
                bios_core: None,
            },
            (Layout::Iso, _) => FormatPlan::Iso {
                volume_id: planned
                    .first()
                    .map(|p| crate::fs::iso::volume_id(&p.label))
                    .unwrap_or_default(),
            },
            _ => FormatPlan::Archive { tree: None },
        },
        size,
        disk_guid: options.ids.uuid("disk-guid", 0),
        mbr_signature: options.ids.u32("mbr-signature", 0) | 1,
        partitions: planned,
        root,
        timestamp: options.timestamp,
        alignment: options.alignment,
        seed: options.ids.seed().to_string(),
        boot_files: None,
        notes: Vec::new(),
        owners: None,
    })
}

#[cfg(test)]
mod tests;
