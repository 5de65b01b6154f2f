//! FAT16 and FAT32 file systems written in-process from a content tree: boot sector (and
//! FAT32's FSInfo and backup boot sector), two FATs, directories with VFAT long names, and
//! file data streamed from its source.
//!
//! ingot writes FAT itself rather than through a FAT library: an image is written once, so
//! every cluster is allocated up front, contiguously, in tree order; nothing depends on a
//! clock (hadris-fat 2.5.0 dates its label entry with the current time); and only non-zero
//! bytes are written, so free space stays a hole. The target must read as zeros (a new
//! sparse image does).

mod geometry;
mod names;
mod plan;
mod write;

use std::io;

use geometry::{first_true, size_range, Geometry, SECTOR};
use plan::Plan;
use write::{FatTime, Writer};

use crate::content::Tree;
use crate::disk::Target;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FatKind {
    Fat16,
    Fat32,
}

impl FatKind {
    fn name(self) -> &'static str {
        match self {
            FatKind::Fat16 => "FAT16",
            FatKind::Fat32 => "FAT32",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FatParams {
    pub kind: FatKind,
    /// Volume label: at most 11 bytes; stored upper-cased. Empty means none ("NO NAME").
    pub label: String,
    /// The volume serial number (shown as XXXX-XXXX).
    pub volume_id: u32,
    /// Seconds since the epoch (UTC): every date in the file system.
    pub timestamp: i64,
    /// Sectors before the file system on its disk (the partition's start LBA).
    pub hidden_sectors: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum FatError {
    #[error("a FAT file system of {size} bytes is not a whole number of 512-byte sectors: round the partition size to a multiple of 512")]
    Unaligned { size: u64 },
    #[error("a {kind} file system cannot be {size} bytes: {kind} needs {min}..={max} bytes{hint}")]
    SizeOutOfRange {
        kind: &'static str,
        size: u64,
        min: u64,
        max: u64,
        hint: &'static str,
    },
    #[error("the content needs a {kind} file system of at least {needed} bytes, the partition has {size}: make it bigger (or let its size be guessed)")]
    TooSmall {
        kind: &'static str,
        size: u64,
        needed: u64,
    },
    #[error("the content does not fit any {kind} file system{hint}")]
    ContentTooBig {
        kind: &'static str,
        hint: &'static str,
    },
    #[error("invalid FAT volume label {label:?}: {reason}")]
    BadLabel { label: String, reason: String },
    #[error("{path}: {reason}")]
    BadName { path: String, reason: String },
    #[error("{path}: FAT cannot store a {what}; remove it from the content of this partition")]
    Unsupported { path: String, what: &'static str },
    #[error("{path}: the directory appears twice in the content tree (a directory hard link)")]
    DirectoryTwice { path: String },
    #[error("{path}: the directory needs {slots} entries (long names take several), FAT allows {max} here: split it into subdirectories or use shorter names")]
    DirectoryTooBig {
        path: String,
        slots: usize,
        max: usize,
    },
    #[error("{path}: {size} bytes is more than FAT's 4 GiB - 1 file size limit")]
    FileTooBig { path: String, size: u64 },
    #[error("reading {path}: {source}")]
    Source {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("{path} changed during the build (expected {expected} bytes, read {got})")]
    SourceChanged {
        path: String,
        expected: u64,
        got: u64,
    },
    #[error("writing the FAT file system: {0}")]
    Write(#[source] io::Error),
}

/// Guix's "vfat": FAT16 when a FAT16 file system of `size` bytes is possible, else FAT32.
pub fn choose_kind(size: u64) -> FatKind {
    if size > 0 && Geometry::new(size / SECTOR, FatKind::Fat16, 0).is_some() {
        FatKind::Fat16
    } else if Geometry::new(size / SECTOR, FatKind::Fat32, 0)
        .is_some_and(|g| g.clusters >= geometry::FAT32_SPEC_MIN_CLUSTERS)
    {
        FatKind::Fat32
    } else {
        FatKind::Fat16
    }
}

/// The clusters of a FAT32 file system of `size` bytes when they are fewer than the FAT
/// specification's minimum (it is made anyway, as mkfs.fat does, with a warning).
pub fn fat32_below_spec(size: u64) -> Option<u32> {
    Geometry::new(size / SECTOR, FatKind::Fat32, 0)
        .map(|g| g.clusters)
        .filter(|c| *c < geometry::FAT32_SPEC_MIN_CLUSTERS)
}

/// The smallest size (a multiple of 512) of a `kind` file system holding `tree`.
pub fn min_size(tree: &Tree, kind: FatKind) -> Result<u64, FatError> {
    let plan = Plan::new(tree, 0)?;
    let root_entries = plan.root_entries(kind)?;
    let (lowest, highest) = size_range(kind, root_entries);
    let spc_at = |n: u64| {
        Geometry::new(n, kind, root_entries)
            .map(|g| g.sectors_per_cluster)
            .unwrap_or(0)
    };
    let fits = |n: u64| {
        Geometry::new(n, kind, root_entries)
            .is_some_and(|g| plan.clusters_needed(&g) <= u64::from(g.clusters))
    };
    // The cluster size only grows with the size; within one cluster size more sectors means
    // more clusters, so search each cluster-size band in turn.
    let mut start = lowest;
    while start <= highest {
        let spc = spc_at(start);
        let end = first_true(start, highest + 1, |n| spc_at(n) != spc) - 1;
        if fits(end) {
            return Ok(first_true(start, end, fits) * SECTOR);
        }
        start = end + 1;
    }
    Err(FatError::ContentTooBig {
        kind: kind.name(),
        hint: match kind {
            FatKind::Fat16 => ": use fat32",
            FatKind::Fat32 => "",
        },
    })
}

/// Writes a `params.kind` file system of exactly `target.len()` bytes holding `tree`.
pub fn write(target: &dyn Target, tree: &Tree, params: &FatParams) -> Result<(), FatError> {
    let size = target.len();
    if !size.is_multiple_of(SECTOR) {
        return Err(FatError::Unaligned { size });
    }
    let label = volume_label(&params.label)?;
    let plan = Plan::new(tree, usize::from(label.is_some()))?;
    let root_entries = plan.root_entries(params.kind)?;
    let Some(geo) = Geometry::new(size / SECTOR, params.kind, root_entries) else {
        let (min, max) = size_range(params.kind, root_entries);
        return Err(FatError::SizeOutOfRange {
            kind: params.kind.name(),
            size,
            min: min * SECTOR,
            max: max * SECTOR,
            hint: match params.kind {
                FatKind::Fat16 if size > max * SECTOR => ": use fat32",
                _ => "",
            },
        });
    };
    if plan.clusters_needed(&geo) > u64::from(geo.clusters) {
        return Err(FatError::TooSmall {
            kind: params.kind.name(),
            size,
            needed: min_size(tree, params.kind)?,
        });
    }
    let layout = plan.allocate(&geo);
    let stamp = FatTime::from_unix(params.timestamp);
    let w = Writer {
        target,
        geo: &geo,
        plan: &plan,
        layout: &layout,
        stamp,
    };
    w.boot_sectors(params, &label)?;
    w.fats()?;
    w.directories(label.as_ref())?;
    w.files(tree)
}

/// The 11-byte label, upper-cased; None for an empty label.
fn volume_label(label: &str) -> Result<Option<[u8; 11]>, FatError> {
    if label.is_empty() {
        return Ok(None);
    }
    let bad = |reason: &str| FatError::BadLabel {
        label: label.to_string(),
        reason: reason.to_string(),
    };
    let upper = label.to_ascii_uppercase();
    if upper.len() > 11 {
        return Err(bad("longer than 11 bytes"));
    }
    if let Some(c) = upper.chars().find(|c| {
        !(c.is_ascii_uppercase() || c.is_ascii_digit() || " !#$%&'()-@^_`{}~".contains(*c))
    }) {
        return Err(bad(&format!("{c:?} is not allowed in a FAT label")));
    }
    if upper.starts_with(' ') {
        return Err(bad("a label may not start with a space"));
    }
    let mut out = [b' '; 11];
    out[..upper.len()].copy_from_slice(upper.as_bytes());
    Ok(Some(out))
}

#[cfg(test)]
mod tests;
