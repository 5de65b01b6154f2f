//! tarball and wsl2: the root tree as a gzip-compressed tar archive, as Guix's `tarball`
//! format, or as the tarball WSL2 imports (`wsl --import`), as Guix's `wsl2` format.

use std::fs::File;
use std::path::Path;

use super::{archive, Format, FormatPlan};
use crate::context::{BuildCtx, BuildOptions};
use crate::error::BuildError;
use crate::output::tarball;
use crate::plan::Plan;

/// `wsl2` is the tarball with WSL2's conventions.
pub struct Tarball {
    pub wsl2: bool,
}

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
        tarball::write_tarball_with(
            out,
            tree,
            &tarball::TarParams { wsl2: self.wsl2 },
            ctx.progress,
        )?;
        Ok(())
    }
}
