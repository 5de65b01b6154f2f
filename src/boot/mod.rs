//! Boot loaders: GRUB for BIOS and UEFI (built with the real GRUB tools) and the raw firmware
//! blobs of U-Boot boards.

pub mod board;
pub mod bootloaders;
pub mod extlinux;
pub mod grub;
mod grub_cache;

use std::io;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum BootError {
    #[error("{tool} not found in PATH: install the Debian package {package}")]
    ToolMissing {
        tool: &'static str,
        package: &'static str,
    },
    #[error("GRUB {platform} files not found in {}: install the Debian package {package}", dir.display())]
    PlatformMissing {
        platform: &'static str,
        dir: PathBuf,
        package: &'static str,
    },
    #[error("GRUB module {module:?} is not in {}: check its name, or install the Debian package {package}", dir.display())]
    ModuleMissing {
        module: String,
        dir: PathBuf,
        package: &'static str,
    },
    #[error("{tool} failed ({status}): {stderr}")]
    ToolFailed {
        tool: &'static str,
        status: String,
        stderr: String,
    },
    #[error("GRUB core image is {core_sectors} sectors but only {gap_sectors} sectors are free between the MBR and the first partition (LBA {first_partition_lba}): start the first partition later (1 MiB is usual) or embed fewer modules")]
    CoreTooBig {
        core_sectors: u64,
        gap_sectors: u64,
        first_partition_lba: u64,
    },
    #[error("not a GRUB i386-pc core image: {0}")]
    BadCore(String),
    #[error("the disk has a GPT header at LBA 1, where GRUB's BIOS core image would go: BIOS GRUB is installed on MBR disks only")]
    GptDisk,
    #[error("firmware file {file:?} not found in {}: put the board's U-Boot build output there", dir.display())]
    BlobMissing { file: String, dir: PathBuf },
    #[error("firmware file {file:?} ({size} bytes at byte {offset}) {reason}")]
    BlobDoesNotFit {
        file: String,
        size: u64,
        offset: u64,
        reason: String,
    },
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: io::Error,
    },
}

impl BootError {
    pub(crate) fn io(what: impl Into<String>) -> impl FnOnce(io::Error) -> BootError {
        let what = what.into();
        move |source| BootError::Io { what, source }
    }
}
