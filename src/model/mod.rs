//! Plain Rust data for what a Scheme definition describes. No Scheme values live here: the DSL
//! converts its records into these types, and every later stage (plan, output) reads only them.

mod file_system;
mod os;
mod size;
mod uuid;

pub use file_system::FileSystemKind;
pub use os::{
    is_hurd_kernel, parse_fat_serial, Bootloader, BootloaderConfig, FileRef, FileSystemDevice,
    FileSystemEntry, OperatingSystem,
};
pub use size::{parse_size, SizeError, SizeSpec};
pub use uuid::{Uuid, UuidError};

use std::fmt;
use std::path::PathBuf;

/// Where a record was written in the user's Scheme source.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SourceLoc {
    pub file: String,
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for SourceLoc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// A message about a record's field found after evaluation (building, checking the host),
/// worded as evaluation's own: `FILE:LINE:COLUMN: RECORD: field FIELD: MESSAGE`.
pub fn at_field(location: Option<&SourceLoc>, record: &str, field: &str, message: &str) -> String {
    match location {
        Some(loc) => format!("{loc}: {record}: field {field}: {message}"),
        None => format!("{record}: field {field}: {message}"),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartitionFlag {
    Boot,
    Esp,
}

impl PartitionFlag {
    pub fn as_str(self) -> &'static str {
        match self {
            PartitionFlag::Boot => "boot",
            PartitionFlag::Esp => "esp",
        }
    }
}

/// One operation of a user's Scheme initializer `(lambda (root) …)`, recorded when the DSL
/// evaluated it. Paths are relative to the partition's root and never escape it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TreeOp {
    Mkdir {
        path: String,
        mode: u32,
    },
    WriteFile {
        path: String,
        contents: Vec<u8>,
        mode: u32,
    },
    CopyFile {
        source: PathBuf,
        path: String,
        mode: Option<u32>,
    },
    CopyTree {
        source: PathBuf,
        path: String,
    },
    Symlink {
        target: String,
        path: String,
    },
}

/// What fills a partition's tree before its file system is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Initializer {
    /// Guix's initialize-root-partition: the operating system's root tree, kernel, initrd and
    /// bootloader configuration.
    Root,
    /// Guix's initialize-efi-partition: a standalone GRUB EFI binary (x86_64).
    Efi,
    /// Guix's initialize-efi32-partition: a standalone GRUB EFI binary (i386).
    Efi32,
    /// A user's Scheme procedure, recorded as tree operations.
    Custom(Vec<TreeOp>),
    /// An initializer named with `(gexp NAME)` that ingot does not know: the partition is left
    /// with an empty tree, and the CLI warns.
    Unknown(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Partition {
    pub size: SizeSpec,
    /// Absolute byte offset from the start of the disk; 0 means "right after the previous one".
    pub offset: u64,
    pub file_system: FileSystemKind,
    pub file_system_options: Vec<String>,
    pub label: String,
    pub uuid: Option<Uuid>,
    /// A FAT volume serial ("1234-ABCD" in Guix's `(uuid "1234-ABCD" 'fat)`), from the
    /// operating system's /boot/efi entry; derived from the seed when absent.
    pub fat_serial: Option<u32>,
    pub flags: Vec<PartitionFlag>,
    /// `None` is Guix's `#f`: the root-partition initializer.
    pub initializer: Option<Initializer>,
    pub location: Option<SourceLoc>,
    /// Where the label was given when not in the partition's form: the operating system's
    /// root `(file-system …)` whose label the root partition takes.
    pub label_location: Option<SourceLoc>,
}

impl Partition {
    pub fn has_flag(&self, flag: PartitionFlag) -> bool {
        self.flags.contains(&flag)
    }
    pub fn effective_initializer(&self) -> Initializer {
        self.initializer.clone().unwrap_or(Initializer::Root)
    }
}

/// Which output format an image has: the key of `format::FORMATS`, which gives its name and
/// everything else about it (in this order).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    DiskImage,
    CompressedQcow2,
    Docker,
    Iso9660,
    Tarball,
    Wsl2,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartitionTableType {
    Mbr,
    Gpt,
}

impl PartitionTableType {
    pub fn as_str(self) -> &'static str {
        match self {
            PartitionTableType::Mbr => "mbr",
            PartitionTableType::Gpt => "gpt",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    pub name: Option<String>,
    pub format: ImageFormat,
    pub platform: Option<String>,
    pub size: SizeSpec,
    pub max_layers: Option<u32>,
    pub operating_system: Option<OperatingSystem>,
    pub partition_table_type: PartitionTableType,
    pub partitions: Vec<Partition>,
    pub compression: bool,
    pub volatile_root: bool,
    pub shared_store: bool,
    pub shared_network: bool,
    pub substitutable: bool,
    pub location: Option<SourceLoc>,
}

impl Image {
    /// An image with Guix's defaults for every optional field.
    pub fn new(format: ImageFormat) -> Self {
        Image {
            name: None,
            format,
            platform: None,
            size: SizeSpec::Guess,
            max_layers: None,
            operating_system: None,
            partition_table_type: PartitionTableType::Mbr,
            partitions: Vec::new(),
            compression: true,
            volatile_root: true,
            shared_store: false,
            shared_network: false,
            substitutable: true,
            location: None,
        }
    }

    /// Guix's root partition: the first one with the `boot` flag.
    pub fn root_partition_index(&self) -> Option<usize> {
        self.partitions
            .iter()
            .position(|p| p.has_flag(PartitionFlag::Boot))
    }
}
