//! compressed-qcow2: the raw disk written into the build's scratch directory, then converted
//! by qemu-img (zstd clusters).

use std::fs::File;
use std::path::Path;

use super::{Format, FormatPlan};
use crate::context::{BuildCtx, BuildOptions};
use crate::error::BuildError;
use crate::plan::Plan;

pub struct Qcow2;

impl Format for Qcow2 {
    fn plan(
        &self,
        plan: &mut Plan,
        opts: &BuildOptions,
        warnings: &mut Vec<String>,
    ) -> Result<FormatPlan, BuildError> {
        super::disk::plan_disk(plan, opts, warnings)
    }

    fn write(
        &self,
        plan: &Plan,
        _out: &File,
        out_path: &Path,
        ctx: &BuildCtx,
    ) -> Result<(), BuildError> {
        let raw_path = ctx.scratch.join("disk.raw");
        let raw = File::options()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&raw_path)
            .map_err(|e| BuildError::io("cannot create the intermediate raw image", e))?;
        crate::output::disk::write_disk(plan, &raw, ctx)?;
        drop(raw);
        ctx.check_cancelled()?;
        ctx.progress.stage("compressing to qcow2 (zstd)");
        crate::output::qcow2::convert_to_qcow2(&raw_path, out_path)?;
        Ok(())
    }
}
