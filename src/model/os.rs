//! ingot's operating-system: Guix's fields that matter for an image, taken as given (no packages
//! are built). Everything else Guix accepts is recorded in `ignored` and reported once.

use std::path::PathBuf;

use super::{SourceLoc, Uuid};

/// A file named in the definition: `(local-file "path")` or a plain string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileRef {
    /// A path on the build host (relative paths are resolved against the definition's directory
    /// by the DSL before they get here).
    Host(PathBuf),
    /// An absolute path: inside the root tree (symlinks resolved there) when the tree has it,
    /// else on the build host.
    InRoot(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bootloader {
    /// grub-bootloader: GRUB for BIOS (i386-pc) in the MBR and the post-MBR gap.
    GrubBios,
    /// grub-efi-bootloader / grub-efi-removable-bootloader: GRUB x86_64-efi on the ESP.
    GrubEfi,
    GrubEfiRemovable,
    /// grub-efi32-bootloader: GRUB i386-efi on the ESP.
    GrubEfi32,
    /// A board's U-Boot: raw firmware blobs written at fixed offsets (see boot::board).
    UBoot {
        board: String,
    },
    /// A bootloader name ingot knows but cannot install (e.g. extlinux): config only.
    Other(String),
}

impl Bootloader {
    pub fn is_efi(&self) -> bool {
        matches!(
            self,
            Bootloader::GrubEfi | Bootloader::GrubEfiRemovable | Bootloader::GrubEfi32
        )
    }
    pub fn name(&self) -> String {
        match self {
            Bootloader::GrubBios => "grub-bootloader".into(),
            Bootloader::GrubEfi => "grub-efi-bootloader".into(),
            Bootloader::GrubEfiRemovable => "grub-efi-removable-bootloader".into(),
            Bootloader::GrubEfi32 => "grub-efi32-bootloader".into(),
            Bootloader::UBoot { board } => format!("u-boot-{board}-bootloader"),
            Bootloader::Other(n) => n.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BootloaderConfig {
    pub bootloader: Bootloader,
    /// The name the definition gave it (`grub-minimal-bootloader`, which installs the same
    /// i386-pc GRUB as grub-bootloader): what show and messages print.
    pub name: String,
    pub targets: Vec<String>,
    /// Seconds before the default entry boots; negative (GRUB only): wait for a key.
    pub timeout: i32,
    pub location: Option<SourceLoc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileSystemDevice {
    Label(String),
    Uuid(Uuid),
    Path(String),
    /// e.g. "none" for tmpfs; kept verbatim.
    Other(String),
}

/// Whether a kernel package named `package` is the Hurd's (`hurd`, `gnumach`,
/// `%hurd-default-operating-system-kernel`, a `%hurd-startup` of one's own): ingot neither
/// builds nor boots it.
pub fn is_hurd_kernel(package: &str) -> bool {
    package == "gnumach" || package.contains("hurd")
}

/// A FAT volume serial as Guix writes it, "1234-ABCD" (a FAT file system's uuid).
pub fn parse_fat_serial(text: &str) -> Option<u32> {
    let (high, low) = text.split_once('-')?;
    let hex4 = |s: &str| s.len() == 4 && s.chars().all(|c| c.is_ascii_hexdigit());
    if !hex4(high) || !hex4(low) {
        return None;
    }
    let high = u32::from_str_radix(high, 16).ok()?;
    let low = u32::from_str_radix(low, 16).ok()?;
    Some(high << 16 | low)
}

#[derive(Clone, PartialEq, Eq)]
pub struct FileSystemEntry {
    pub device: FileSystemDevice,
    pub mount_point: String,
    pub fs_type: String,
    /// Where its `(file-system …)` form is, for messages about what it gives the image.
    pub location: Option<SourceLoc>,
}

/// Without the location: the default seed is made of this text, and moving a form in the file
/// must not change the image's identifiers.
impl std::fmt::Debug for FileSystemEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileSystemEntry")
            .field("device", &self.device)
            .field("mount_point", &self.mount_point)
            .field("fs_type", &self.fs_type)
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OperatingSystem {
    pub host_name: Option<String>,
    /// Guix's `label`, when written: the GRUB menu entry's title (else the host name is).
    pub label: Option<String>,
    pub kernel: Option<FileRef>,
    /// The Guix package given as the kernel, which ingot does not build (`linux-libre-lts`,
    /// `hurd`): what the "needs a kernel" warning names.
    pub kernel_package: Option<String>,
    pub initrd: Option<FileRef>,
    pub kernel_arguments: Vec<String>,
    pub bootloader: Option<BootloaderConfig>,
    pub file_systems: Vec<FileSystemEntry>,
    /// ingot-specific: the root file system's content, a directory or a tar archive.
    pub root_tree: Option<PathBuf>,
    /// Directory holding firmware blobs for board bootloaders (ingot-specific).
    pub firmware_directory: Option<PathBuf>,
    /// What was given but cannot be honoured (packages, services, …), one human phrase each,
    /// e.g. "12 packages". Reported in one warning.
    pub ignored: Vec<String>,
    pub location: Option<SourceLoc>,
}

impl OperatingSystem {
    /// The file-systems entry mounted at "/": the first, as Guix's
    /// `operating-system-root-file-system` finds it.
    pub fn root_file_system(&self) -> Option<&FileSystemEntry> {
        self.file_systems.iter().find(|f| f.mount_point == "/")
    }
}
