//! Sizes: each partition's (given, the image's, or guessed from what its file system needs to
//! hold the content), checked against that need, and the whole image's.

use super::{align_up, at, FsSizer, PlanError, PlannedPartition, GPT_TAIL_BYTES, MIB, TOO_FAR};
use crate::content::Tree;
use crate::disk::SECTOR;
use crate::model::{FileSystemKind, Image, Partition, PartitionTableType, SizeSpec};

/// A partition's size and the file system built in it.
pub(super) struct PartitionSize {
    /// Whole sectors.
    pub size: u64,
    pub guessed: bool,
    /// What is built: vfat becomes fat16 or fat32.
    pub file_system: FileSystemKind,
}

/// The size of `p`, whose content is `content`. `image_size` is the image's size when this
/// partition takes it (a 'guess root partition of a sized image).
pub(super) fn partition_size(
    p: &Partition,
    content: &Tree,
    is_disk: bool,
    image_size: Option<u64>,
    sizer: &dyn FsSizer,
    alignment: u64,
) -> Result<PartitionSize, String> {
    // Sizing a file system can mean laying it out (ext on a big tree: ~0.5 s), so each
    // kind is sized once. A non-disk format (the ISO's partition) gets no file system of
    // its own: its content is what must fit.
    let mut sized: Vec<(FileSystemKind, u64)> = Vec::new();
    let mut content_min = |kind: FileSystemKind| -> Result<u64, String> {
        if kind == FileSystemKind::Unformatted {
            return Ok(0);
        }
        if !is_disk {
            return Ok(content.apparent_size());
        }
        if let Some((_, min)) = sized.iter().find(|(k, _)| *k == kind) {
            return Ok(*min);
        }
        let min = sizer.min_size(kind, content, &p.file_system_options)?;
        sized.push((kind, min));
        Ok(min)
    };
    let (size, guessed) = match (p.size, image_size) {
        (SizeSpec::Bytes(n), _) => (n, false),
        (SizeSpec::Guess, Some(n)) => (n, false),
        (SizeSpec::Guess, None) => {
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
            let aligned = align_up(guess, alignment.max(SECTOR))
                .ok_or_else(|| format!("the guessed size {guess} {TOO_FAR}"))?;
            (aligned, true)
        }
    };
    // Partitions are whole sectors: a size like 100MB (195312.5 sectors) is rounded down,
    // as mke2fs rounds Guix's sizes down to whole blocks.
    let size = size - size % SECTOR;
    if size == 0 {
        return Err(
            "size is smaller than one 512-byte sector; give at least 512 bytes or 'guess".into(),
        );
    }
    let file_system = match p.file_system {
        FileSystemKind::Vfat => sizer.vfat_kind(size),
        k => k,
    };
    let needed = content_min(file_system)?;
    if needed > size {
        return Err(format!(
            "the content needs a {file_system} file system of at least {needed} bytes \
             ({:.1} MiB), but the size is {size} bytes; enlarge `size` or use 'guess",
            needed as f64 / MIB as f64
        ));
    }
    Ok(PartitionSize {
        size,
        guessed,
        file_system,
    })
}

/// The image's size: a disk's end (with GPT's backup table), within `fixed` when the image's
/// size bounds the disk, else rounded up to 1 MiB; otherwise the sum of the partitions.
pub(super) fn image_size(
    image: &Image,
    planned: &[PlannedPartition],
    table: Option<PartitionTableType>,
    fixed: Option<u64>,
) -> Result<u64, PlanError> {
    let image_err = |message: String| PlanError::Image {
        at: at(&image.location),
        message,
    };
    let last_end = planned.iter().map(PlannedPartition::end).max().unwrap_or(0);
    if table.is_none() {
        return planned
            .iter()
            .try_fold(0u64, |sum, p| sum.checked_add(p.size))
            .ok_or_else(|| image_err(format!("the partitions' total size {TOO_FAR}")));
    }
    let tail = if table == Some(PartitionTableType::Gpt) {
        GPT_TAIL_BYTES
    } else {
        0
    };
    let needed = last_end
        .checked_add(tail)
        .ok_or_else(|| image_err(format!("the backup GPT after {last_end} {TOO_FAR}")))?;
    match fixed {
        Some(fixed) => {
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
            Ok(fixed)
        }
        None => align_up(needed, MIB)
            .ok_or_else(|| image_err(format!("the disk size {needed} {TOO_FAR}"))),
    }
}
