//! tarball: the root tree as a gzip-compressed tar archive, as Guix's `tarball` format.

use std::fs::File;
use std::path::Path;

use super::{archive, Format, FormatPlan};
use crate::context::{BuildCtx, BuildOptions};
use crate::error::BuildError;
use crate::output::tarball;
use crate::plan::Plan;

pub struct Tarball;

impl Format for Tarball {
    fn plan(
        &self,
        plan: &mut Plan,
        opts: &BuildOptions,
        warnings: &mut Vec<String>,
    ) -> Result<FormatPlan, BuildError> {
        archive::plan_archive(plan, opts, warnings)
    }

    fn write(
        &self,
        plan: &Plan,
        out: &File,
        _out_path: &Path,
        ctx: &BuildCtx,
    ) -> Result<(), BuildError> {
        let tree = archive::tree(plan)?;
        ctx.progress.stage("writing the tarball");
        tarball::write_tarball(out, tree, &tarball::TarParams { wsl2: false })?;
        Ok(())
    }
}
