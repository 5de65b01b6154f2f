//! ISO 9660 images (Rock Ridge + Joliet, El Torito BIOS and EFI boot, isohybrid MBR/GPT,
//! zisofs) written by libisofs, the library inside xorriso, loaded at run time.
//!
//! What Guix makes with `grub-mkrescue` (plus xorriso's `mbr_only` tweaks), ingot makes with
//! the same library directly:
//! - the content tree is added node by node (modes, owners from the tree; every date is
//!   `timestamp`, like Guix's `-volume_date all_file_dates =1`);
//! - zisofs (128 KiB blocks, as Guix) for files GRUB does not read (see `compress`), done by
//!   ingot on every core (see `zisofs`);
//! - El Torito: the BIOS entry is GRUB's `i386-pc-eltorito` core (no emulation, 4 sectors,
//!   boot info table and GRUB2 boot info, as grub-mkrescue), the EFI entry (platform 0xEF) is a
//!   FAT image the caller made;
//! - isohybrid: GRUB's `boot_hybrid.img` as MBR code, the ISO as partition 1 from 32 KiB on
//!   (type 0x83), the FAT image appended as an EFI system partition in a GPT, as xorriso's
//!   `--grub2-mbr … -partition_offset 16 -append_partition 2 0xef … -appended_part_as_gpt`.
//!
//! Dates, the volume "UUID" (the modification date blkid shows), GPT GUIDs and the data layout
//! are all derived from the parameters and the tree, so the output is reproducible.

pub mod aaip;
mod compress;
mod ffi;
mod image;
mod output;
mod stream;
mod zisofs;

use std::fs::File;
use std::io;
use std::path::PathBuf;
use std::sync::Mutex;

use crate::content::Tree;

/// The El Torito BIOS boot entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BiosBoot {
    /// A GRUB `i386-pc-eltorito` image inside the tree, e.g. "boot/grub/i386-pc/eltorito.img".
    pub image_path_in_tree: String,
    /// Where the boot catalog appears in the ISO, e.g. "boot/grub/boot.cat" (its directory
    /// must exist in the tree, the name must not).
    pub catalog_path: String,
}

/// The El Torito EFI boot entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EfiBoot {
    /// A FAT image holding `EFI/BOOT/BOOTX64.EFI` (made by the caller).
    pub esp_image: PathBuf,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IsoParams {
    /// The volume id (up to 32 characters; see [`volume_id`]).
    pub volume_id: String,
    /// Every date in the image (seconds since the epoch).
    pub timestamp: i64,
    /// zisofs-compress files that GRUB does not read (Guix's `compression?`).
    pub compression: bool,
    pub bios_boot: Option<BiosBoot>,
    pub efi_boot: Option<EfiBoot>,
    /// Add an MBR (with GRUB's hybrid boot code when there is a BIOS entry) and a GPT, so the
    /// file also boots when written to a USB stick.
    pub isohybrid: bool,
    /// The volume "UUID": 16 ASCII digits "YYYYMMDDhhmmsscc" stored as the volume's creation
    /// and modification dates (what blkid and Linux's `root=UUID=` see, as in Guix's
    /// `-volume_date uuid`). None: the digits of `timestamp`.
    pub volume_uuid: Option<[u8; 16]>,
    /// Where compressed file data waits until it is written (a build's scratch directory,
    /// beside the output); None: $TMPDIR.
    pub temp_dir: Option<std::path::PathBuf>,
}

impl IsoParams {
    /// A data volume: no boot entries, no compression, no hybrid tables, the volume UUID
    /// from `timestamp`, scratch data in $TMPDIR.
    pub fn data(volume_id: impl Into<String>, timestamp: i64) -> Self {
        IsoParams {
            volume_id: volume_id.into(),
            timestamp,
            compression: false,
            bios_boot: None,
            efi_boot: None,
            isohybrid: false,
            volume_uuid: None,
            temp_dir: None,
        }
    }
}

/// The volume id an ISO gets for a label: upper case (as Guix makes it), characters outside
/// printable ASCII as '_', at most 32 bytes.
pub fn volume_id(label: &str) -> String {
    let mut id: String = label
        .chars()
        .map(|c| match c {
            ' ' | '!'..='~' => c.to_ascii_uppercase(),
            _ => '_',
        })
        .collect();
    id.truncate(32);
    if id.is_empty() {
        id.push_str("CDROM");
    }
    id
}

/// Where GRUB's hybrid MBR boot code is on Debian (package grub-pc-bin).
pub const GRUB_HYBRID_MBR: &str = "/usr/lib/grub/i386-pc/boot_hybrid.img";

#[derive(Debug, thiserror::Error)]
pub enum IsoError {
    #[error("ISO images need libisofs: apt-get install libisofs6 ({detail})")]
    LibraryMissing { detail: String },
    #[error("invalid ISO parameter {what}: {reason}")]
    Parameter { what: &'static str, reason: String },
    #[error("{path}: {reason}")]
    Content { path: String, reason: String },
    #[error("cannot read {path} (in the image content): {source}")]
    Read {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("cannot read {path}: {source}")]
    Input {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("libisofs {call} failed{context}: {message}")]
    Library {
        call: &'static str,
        /// " for /path" or empty.
        context: String,
        message: String,
    },
    #[error("cannot write the ISO image: {source}")]
    Write {
        #[source]
        source: io::Error,
    },
}

/// libisofs keeps global state (zisofs parameters, message queue, serial numbers): one image
/// at a time per process.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Loads libisofs if it is not yet loaded: Ok when ISO images can be made (for `ingot doctor`).
pub fn check_library() -> Result<(), IsoError> {
    ffi::lib()
        .map(|_| ())
        .map_err(|detail| IsoError::LibraryMissing { detail })
}

/// Writes the ISO image of `tree` into `out` (from offset 0; the file is truncated first).
/// Blocks of zeros are left as holes. File data is streamed, never held in memory.
pub fn write_iso(out: &File, tree: &Tree, params: &IsoParams) -> Result<(), IsoError> {
    write_iso_with(out, tree, params, &crate::context::NoProgress)
}

/// [`write_iso`], reporting the image's bytes to `progress` as they are written.
pub fn write_iso_with(
    out: &File,
    tree: &Tree,
    params: &IsoParams,
    progress: &dyn crate::context::Progress,
) -> Result<(), IsoError> {
    let plan = image::check(tree, params)?;
    let lib = ffi::lib().map_err(|detail| IsoError::LibraryMissing { detail })?;
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let built = image::build(lib, tree, params, &plan)?;
    output::write(lib, &built, params, &plan, out, progress)
}

#[cfg(test)]
mod tests {
    use super::volume_id;

    #[test]
    fn volume_ids_are_upper_case_printable_ascii() {
        assert_eq!(volume_id("Guix_image"), "GUIX_IMAGE");
        assert_eq!(volume_id("debian-root"), "DEBIAN-ROOT");
        assert_eq!(volume_id("héllo wörld"), "H_LLO W_RLD");
        assert_eq!(volume_id(&"a".repeat(40)), "A".repeat(32));
        assert_eq!(volume_id(""), "CDROM");
    }
}
