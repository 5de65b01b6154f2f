//! iso9660: the root partition's content as a hybrid ISO 9660 volume, with GRUB's El Torito
//! images when the operating system has a bootloader.

use std::fs::File;
use std::path::Path;

use super::{Format, FormatPlan};
use crate::context::{BuildCtx, BuildOptions};
use crate::error::BuildError;
use crate::plan::Plan;

pub struct Iso;

impl Format for Iso {
    fn plan(
        &self,
        plan: &mut Plan,
        _opts: &BuildOptions,
        warnings: &mut Vec<String>,
    ) -> Result<FormatPlan, BuildError> {
        let Some(part) = plan.partitions.first() else {
            return Err(BuildError::Input(
                "an iso9660 image needs one partition (its label is the volume id)".into(),
            ));
        };
        warnings.extend(crate::output::iso::warnings(plan));
        Ok(FormatPlan::Iso {
            volume_id: crate::fs::iso::volume_id(&part.label),
        })
    }

    fn write(
        &self,
        plan: &Plan,
        out: &File,
        _out_path: &Path,
        ctx: &BuildCtx,
    ) -> Result<(), BuildError> {
        crate::output::iso::write(plan, out, ctx)
    }
}
