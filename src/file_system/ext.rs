//! ext2, ext3 and ext4 partitions: `crate::fs::ext` writes them; this is how a planned
//! partition becomes its parameters, their label rule and how inspect recognises them.

use std::fs::File;
use std::io;

use super::{FileSystemWriter, Sizer};
use crate::content::Tree;
use crate::context::BuildCtx;
use crate::disk::inspect::bytes::{field, le32, read, text};
use crate::disk::inspect::FoundFs;
use crate::disk::Region;
use crate::error::BuildError;
use crate::fs::ext;
use crate::model::{FileSystemKind, Uuid};
use crate::plan::{Plan, PlannedPartition};

/// The writer of one ext kind.
pub struct Ext(pub ext::ExtKind);

impl FileSystemWriter for Ext {
    fn min_size(&self, tree: &Tree, options: &[String], sizer: &Sizer) -> Result<u64, String> {
        let params = ext::ExtParams {
            kind: self.0,
            label: String::new(),
            uuid: Uuid([0; 16]),
            hash_seed: Uuid([0; 16]),
            timestamp: sizer.timestamp,
            options: options.to_vec(),
            backend: sizer.ext_backend,
        };
        ext::min_size(tree, &params).map_err(|e| e.to_string())
    }

    fn write(
        &self,
        p: &PlannedPartition,
        region: &Region,
        plan: &Plan,
        ctx: &BuildCtx,
    ) -> Result<(), BuildError> {
        let params = ext::ExtParams {
            kind: self.0,
            label: p.label.clone(),
            uuid: p.fs_uuid,
            hash_seed: ctx.ids.uuid("hash-seed", p.index),
            timestamp: plan.timestamp,
            options: p.file_system_options.clone(),
            backend: ctx.options.ext_backend,
        };
        ext::write_in(region, &p.content, &params, ctx.scratch)?;
        Ok(())
    }

    fn check_label(&self, kind: FileSystemKind, label: &str) -> Result<(), String> {
        let max = 16;
        if label.len() > max {
            return Err(format!(
                "label {label:?} is {} bytes; {kind} labels hold at most {max}",
                label.len(),
            ));
        }
        Ok(())
    }

    fn family(&self) -> &'static str {
        "ext"
    }

    fn probe(&self, file: &File, offset: u64) -> io::Result<Option<FoundFs>> {
        match offset.checked_add(1024) {
            Some(at) => Ok(superblock(&read(file, at, 256)?)),
            None => Ok(None),
        }
    }
}

/// The ext file system whose superblock is `sb`: the kind from its features, the label and
/// the UUID.
fn superblock(sb: &[u8]) -> Option<FoundFs> {
    if field(sb, 56, 2)? != [0x53, 0xEF] {
        return None;
    }
    let compat = le32(sb, 92)?;
    let incompat = le32(sb, 96)?;
    let kind = if incompat & (0x40 | 0x80 | 0x200) != 0 {
        "ext4" // extents, 64bit or flex_bg
    } else if compat & 0x4 != 0 {
        "ext3" // has_journal
    } else {
        "ext2"
    };
    let mut uuid = [0u8; 16];
    uuid.copy_from_slice(field(sb, 104, 16)?);
    Some(FoundFs {
        kind: kind.into(),
        label: text(sb, 120, 16),
        uuid: Some(Uuid(uuid).to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_or_foreign_superblocks_are_nothing() {
        assert_eq!(superblock(&[]), None);
        assert_eq!(superblock(&[0u8; 60]), None);
    }
}
