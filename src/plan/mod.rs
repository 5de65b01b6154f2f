//! The plan: an image definition resolved into an exact byte layout — sizes, offsets, table
//! entries and identifiers — and refused, before anything is written, when it cannot be built.
//!
//! ingot differs from Guix here in one visible way: partitions whose offset is 0 start at the
//! next 1 MiB boundary (Guix/genimage use 512 bytes); `show` says so.

mod checks;
mod ids;
mod offsets;
mod render;
mod sizes;
mod types;

pub use crate::format::default_file_name;
pub use checks::{check_image, efi_on_mbr_warning, hurd_creator_partitions, root_type_warning};
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
    /// Where the partition would start with Guix's 512-byte alignment, when ingot's alignment
    /// moved it (an `offset` of 0 placed after the partition before).
    pub unaligned_offset: Option<u64>,
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
    pub boot_files: Option<crate::pipeline::boot_files::BootFiles>,
    /// What the operating-system's fields replaced in the root tree (set by the build step).
    pub notes: Vec<String>,
    /// The owner rule applied to the root tree, when there is one (set by the build step).
    pub owners: Option<String>,
}

impl Plan {
    /// The partitions as the checks of raw blobs (a board's U-Boot) see them.
    pub fn disk_extents(&self) -> Vec<crate::boot::board::DiskExtent<'_>> {
        self.partitions
            .iter()
            .map(|p| crate::boot::board::DiskExtent {
                index: p.index,
                label: &p.label,
                offset: p.offset,
                size: p.size,
                unformatted: p.file_system == FileSystemKind::Unformatted,
            })
            .collect()
    }

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

/// Resolves `image`, whose partitions' content trees are `contents` (same order), into a plan:
/// each partition's checks, size, offset, table type and identifiers in turn, then the
/// overlaps and the disk's size.
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

    let table_reserved = offsets::table_reserved(table);
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
        checks::check_partition(p).map_err(&perr)?;
        // A label the operating system's root file system gave is located at that form.
        checks::check_label(p, layout, table).map_err(|message| PlanError::Partition {
            at: at(&p
                .label_location
                .clone()
                .or(p.location.clone())
                .or(image.location.clone())),
            index,
            label: p.label.clone(),
            message,
        })?;
        let takes_image_size =
            (root_takes_image_size && Some(i) == root).then(|| image_size.unwrap_or_default());
        let sized = sizes::partition_size(
            p,
            &content,
            is_disk,
            takes_image_size,
            sizer,
            options.alignment,
        )
        .map_err(&perr)?;
        let offset =
            offsets::partition_offset(p, cursor, is_disk, options.alignment).map_err(&perr)?;
        let unaligned = offsets::partition_offset(p, cursor, is_disk, SECTOR).map_err(&perr)?;
        let end =
            offsets::partition_end(offset, sized.size, is_disk, table_reserved).map_err(&perr)?;
        let part_type = types::part_type(p, table).map_err(&perr)?;
        offsets::check_mbr_reach(end, table).map_err(&perr)?;
        let ids = ids::PartitionIds::new(p, index, &options.ids);
        cursor = end;
        planned.push(PlannedPartition {
            index,
            label: p.label.clone(),
            offset,
            size: sized.size,
            declared_file_system: p.file_system,
            file_system: sized.file_system,
            file_system_options: p.file_system_options.clone(),
            flags: p.flags.clone(),
            fs_uuid: ids.fs_uuid,
            part_guid: ids.part_guid,
            volume_id: ids.volume_id,
            part_type,
            size_guessed: sized.guessed,
            unaligned_offset: (unaligned != offset).then_some(unaligned),
            content,
            location: p.location.clone(),
        });
    }

    if is_disk {
        offsets::check_overlaps(image, &planned)?;
    }
    let size = sizes::image_size(
        image,
        &planned,
        table,
        image_size.filter(|_| !root_takes_image_size),
    )?;

    Ok(Plan {
        image: image.clone(),
        file_name: crate::format::default_file_name(image),
        format: image.format,
        layout: match (layout, table) {
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
