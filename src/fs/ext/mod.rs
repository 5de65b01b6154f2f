//! ext2/ext3/ext4 file systems from a content tree.
//!
//! Two backends behind one interface: ingot's own writer (`Native`, the default), which lays
//! out the whole file system in memory and streams file data in one pass, and `Mke2fs`, which
//! runs e2fsprogs' `mke2fs -d` on a private copy of the tree (kept as an oracle and fallback).
//! Both accept the same mke2fs-style options (see [`options`]).
//!
//! The native writer makes what mke2fs would for the same options (Debian's defaults: 4 KiB
//! blocks from 512 MiB up, 1 KiB below; ext4 with extents, flex_bg, 64bit, metadata_csum,
//! huge_file, dir_nlink, extra_isize; a journal for ext3/ext4; lost+found of 16 KiB), with
//! these differences:
//! - no `resize_inode` (no GDT blocks reserved for online growth);
//! - the inode count is raised to what the tree needs unless -N or -i is given;
//! - below 2048 blocks mke2fs silently drops the journal; here that size is too small;
//! - inodes are numbered and data placed in tree order (a directory's entries are
//!   neighbours), directories over one block are always hash-indexed (mke2fs -d leaves them
//!   linear until `e2fsck -D`), identical attribute blocks are shared;
//! - not supported (refused with a message): inline_data, bigalloc, meta_bg, quota,
//!   uninit_bg/gdt_csum, ea_inode, casefold, encrypt, mmp, the Hurd's layout.
//!
//! The same tree and parameters give the same bytes: nothing is taken from the clock, the
//! source's inode numbers, ctimes or atimes.

mod build;
mod describe;
mod dir;
mod geometry;
mod hash;
mod inode;
mod inventory;
mod mke2fs;
mod native;
pub mod options;
mod superblock;
mod writer;
mod xattr;

use std::io;

pub use options::{Features, Options};

use crate::content::Tree;
use crate::disk::Target;
use crate::model::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExtKind {
    Ext2,
    Ext3,
    Ext4,
}

impl ExtKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ExtKind::Ext2 => "ext2",
            ExtKind::Ext3 => "ext3",
            ExtKind::Ext4 => "ext4",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExtBackend {
    #[default]
    Native,
    Mke2fs,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExtParams {
    pub kind: ExtKind,
    /// Volume label, at most 16 bytes.
    pub label: String,
    pub uuid: Uuid,
    /// Seed of the directory index hash.
    pub hash_seed: Uuid,
    /// Every superblock and inode time not taken from the tree (SOURCE_DATE_EPOCH); also the
    /// access, change and creation time of every inode.
    pub timestamp: i64,
    /// mke2fs-style options, e.g. `["-O", "^metadata_csum,^64bit"]`; -L/-U override label/uuid.
    pub options: Vec<String>,
    pub backend: ExtBackend,
}

#[derive(Debug, thiserror::Error)]
pub enum ExtError {
    #[error(
        "the ext file system needs {needed} bytes ({}) but its partition has {available} bytes \
         ({}); make the partition at least {needed} bytes, or give it size 'guess",
        mib(*needed),
        mib(*available)
    )]
    TooSmall { needed: u64, available: u64 },
    #[error("file-system option `{option}`: {reason}")]
    Option { option: String, reason: String },
    #[error("volume label {0:?} is longer than 16 bytes; use a shorter label")]
    Label(String),
    #[error("{what} is not supported by the {backend} ext backend; {hint}")]
    Unsupported {
        what: String,
        backend: &'static str,
        hint: String,
    },
    #[error("{path}: {reason}")]
    Content { path: String, reason: String },
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("cannot write the file system at byte {offset} of its partition: {source}")]
    Write {
        offset: u64,
        #[source]
        source: io::Error,
    },
    #[error("{tool}: {detail}")]
    Tool { tool: String, detail: String },
    #[error("temporary files for the mke2fs backend: {0}")]
    Temp(#[source] io::Error),
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// Settings both backends use, resolved from the parameters and options.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    pub options: Options,
    pub label: String,
    pub uuid: Uuid,
    pub hash_seed: Uuid,
}

pub(crate) fn resolve(params: &ExtParams) -> Result<Resolved, ExtError> {
    let options = Options::parse(params.kind, &params.options)?;
    let label = options
        .label
        .clone()
        .unwrap_or_else(|| params.label.clone());
    options::check_label(&label)?;
    Ok(Resolved {
        uuid: options.uuid.unwrap_or(params.uuid),
        hash_seed: options.hash_seed.unwrap_or(params.hash_seed),
        label,
        options,
    })
}

/// Writes a file system of exactly `target.len()` bytes holding `tree`. The target must read
/// as zeros (a fresh sparse image): unwritten blocks are left as holes. Nothing is written
/// when the tree does not fit ([`ExtError::TooSmall`] says how much is needed).
pub fn write(target: &dyn Target, tree: &Tree, params: &ExtParams) -> Result<(), ExtError> {
    write_in(target, tree, params, &std::env::temp_dir())
}

/// [`write`], with the mke2fs backend's temporary files inside `scratch` (a build's scratch
/// directory, removed with it).
pub fn write_in(
    target: &dyn Target,
    tree: &Tree,
    params: &ExtParams,
    scratch: &std::path::Path,
) -> Result<(), ExtError> {
    let resolved = resolve(params)?;
    if resolved.options.creator_hurd {
        return Err(ExtError::Option {
            option: "-o hurd".into(),
            reason: options::HURD_CREATOR_REFUSED.into(),
        });
    }
    match params.backend {
        ExtBackend::Native => native::write(target, tree, params, &resolved),
        ExtBackend::Mke2fs => mke2fs::write(target, tree, params, &resolved, scratch),
    }
}

/// The smallest file system size in bytes (a multiple of the block size) that holds `tree`
/// with these parameters: content, metadata and journal. Callers add their own headroom.
pub fn min_size(tree: &Tree, params: &ExtParams) -> Result<u64, ExtError> {
    let resolved = resolve(params)?;
    match params.backend {
        ExtBackend::Native => native::min_size(tree, params, &resolved),
        ExtBackend::Mke2fs => mke2fs::min_size(tree, params, &resolved),
    }
}
