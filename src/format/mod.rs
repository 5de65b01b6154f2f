//! The output formats: one module per format, each planning what it needs and writing it, all
//! registered in [`FORMATS`] — the one table that also gives each format's name (as Scheme's
//! `(format 'NAME)` spells it), its default file name, the line `list-image-types` prints and
//! the external tools `doctor` checks. Adding a format is its module plus one row here.

mod archive;
mod disk;
mod docker;
pub mod image_types;
mod iso;
mod qcow2;
mod tarball;

use std::fs::File;
use std::path::Path;

use crate::content::Tree;
use crate::context::{BuildCtx, BuildOptions};
use crate::error::BuildError;
use crate::model::{Image, ImageFormat, PartitionTableType};
use crate::plan::Plan;

/// An external piece a format needs at build time, as `doctor` names and looks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    /// `qemu-img` (Debian qemu-utils).
    QemuImg,
    /// The libisofs shared library (Debian libisofs6).
    Libisofs,
}

/// What the shared planner lays out for a format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// A partitioned disk: table, partitions at offsets, a bootloader in the gaps.
    Disk,
    /// An ISO 9660 volume made from the root partition's content.
    Iso,
    /// A file archive of the operating system's root tree: no partitions, no bootloader.
    Archive,
}

/// What each format needs beyond the shared layout, made while planning so that `show` sees
/// it and nothing is found missing after the first byte is written.
#[derive(Debug, Clone)]
pub enum FormatPlan {
    Disk {
        table: PartitionTableType,
        /// GRUB's BIOS core image (grub-bootloader), checked to fit after the MBR; `None` in
        /// a dry run or with another bootloader.
        bios_core: Option<Vec<u8>>,
    },
    Iso {
        /// The volume id as written: the label upper-cased (ISO 9660's rule, as Guix's).
        volume_id: String,
    },
    Archive {
        /// The root content, read once while planning; `None` only in a dry run without a
        /// root tree.
        tree: Option<Tree>,
    },
}

/// One output format.
pub trait Format: Sync {
    /// What the writer needs beyond the shared layout; `warnings` gets what it must say.
    fn plan(
        &self,
        plan: &mut Plan,
        opts: &BuildOptions,
        warnings: &mut Vec<String>,
    ) -> Result<FormatPlan, BuildError>;
    /// Writes the whole image into `out` (an empty temporary file at `out_path`).
    fn write(
        &self,
        plan: &Plan,
        out: &File,
        out_path: &Path,
        ctx: &BuildCtx,
    ) -> Result<(), BuildError>;
}

/// A row of [`FORMATS`].
pub struct FormatRow {
    pub kind: ImageFormat,
    /// Scheme's name: `(format 'NAME)`.
    pub name: &'static str,
    /// Guix's default output name.
    pub file_name: &'static str,
    /// One line for `list-image-types` and `doctor`.
    pub description: &'static str,
    /// What must be installed to write it.
    pub tools: &'static [Tool],
    pub layout: Layout,
    pub format: &'static dyn Format,
}

/// Every format, in the order Scheme's `%image-formats` lists them.
pub static FORMATS: &[FormatRow] = &[
    FormatRow {
        kind: ImageFormat::DiskImage,
        name: "disk-image",
        file_name: "disk-image.img",
        description: "raw disk image",
        tools: &[],
        layout: Layout::Disk,
        format: &disk::Disk,
    },
    FormatRow {
        kind: ImageFormat::CompressedQcow2,
        name: "compressed-qcow2",
        file_name: "image.qcow2",
        description: "compressed qcow2 of a raw disk image, for QEMU",
        tools: &[Tool::QemuImg],
        layout: Layout::Disk,
        format: &qcow2::Qcow2,
    },
    FormatRow {
        kind: ImageFormat::Docker,
        name: "docker",
        file_name: "docker-image.tar.gz",
        description: "docker-archive of the root tree, one layer (--oci: an OCI image layout)",
        tools: &[],
        layout: Layout::Archive,
        format: &docker::Docker,
    },
    FormatRow {
        kind: ImageFormat::Iso9660,
        name: "iso9660",
        file_name: "image.iso",
        description: "hybrid ISO 9660, boots from CD or USB with BIOS and UEFI",
        tools: &[Tool::Libisofs],
        layout: Layout::Iso,
        format: &iso::Iso,
    },
    FormatRow {
        kind: ImageFormat::Tarball,
        name: "tarball",
        file_name: "image.tar.gz",
        description: "gzip-compressed tarball of the root tree",
        tools: &[],
        layout: Layout::Archive,
        format: &tarball::Tarball { wsl2: false },
    },
    FormatRow {
        kind: ImageFormat::Wsl2,
        name: "wsl2",
        file_name: "image.wsl2.tar.gz",
        description: "WSL2 root file system tarball",
        tools: &[],
        layout: Layout::Archive,
        format: &tarball::Tarball { wsl2: true },
    },
];

/// The row of `kind`: [`FORMATS`] is in [`ImageFormat`]'s order, one row each (a test checks
/// it), so this indexes.
pub fn row(kind: ImageFormat) -> &'static FormatRow {
    &FORMATS[kind as usize]
}

/// The format Scheme names `name`.
pub fn by_name(name: &str) -> Option<&'static FormatRow> {
    FORMATS.iter().find(|r| r.name == name)
}

/// Scheme's names and the layout of a format, read from its row (the methods live here, with
/// the table, not in `model`).
impl ImageFormat {
    pub fn as_str(self) -> &'static str {
        row(self).name
    }
    pub fn parse(name: &str) -> Option<Self> {
        by_name(name).map(|r| r.kind)
    }
    /// Formats whose output is a partitioned disk.
    pub fn is_disk(self) -> bool {
        row(self).layout == Layout::Disk
    }
}

/// The default output name, as Guix names its outputs.
pub fn default_file_name(image: &Image) -> String {
    match &image.name {
        Some(name) => name.clone(),
        None => row(image.format).file_name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_has_one_row_and_names_round_trip() {
        for (i, r) in FORMATS.iter().enumerate() {
            assert_eq!(
                r.kind as usize, i,
                "{} is out of ImageFormat's order",
                r.name
            );
            assert_eq!(FORMATS.iter().filter(|o| o.kind == r.kind).count(), 1);
            assert_eq!(by_name(r.name).map(|o| o.kind), Some(r.kind));
            assert_eq!(row(r.kind).name, r.name);
        }
        assert!(by_name("floppy").is_none());
    }
}
