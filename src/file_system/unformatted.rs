//! Unformatted partitions: no file system, so nothing to size, write, label or recognise. Their
//! region is left as a hole, which board blobs may fill when the bootloader is installed.

use std::fs::File;
use std::io;

use super::{FileSystemWriter, Sizer};
use crate::content::Tree;
use crate::context::BuildCtx;
use crate::disk::inspect::FoundFs;
use crate::disk::Region;
use crate::error::BuildError;
use crate::model::FileSystemKind;
use crate::plan::{Plan, PlannedPartition};

pub struct Unformatted;

impl FileSystemWriter for Unformatted {
    fn min_size(&self, _: &Tree, _: &[String], _: &Sizer) -> Result<u64, String> {
        Ok(0)
    }

    fn write(
        &self,
        _: &PlannedPartition,
        _: &Region,
        _: &Plan,
        _: &BuildCtx,
    ) -> Result<(), BuildError> {
        Ok(())
    }

    /// The label names only the GPT entry.
    fn check_label(&self, _: FileSystemKind, _: &str) -> Result<(), String> {
        Ok(())
    }

    fn family(&self) -> &'static str {
        "unformatted"
    }

    fn probe(&self, _: &File, _: u64) -> io::Result<Option<FoundFs>> {
        Ok(None)
    }
}
