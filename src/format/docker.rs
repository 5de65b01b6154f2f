//! docker: the root tree as a one-layer docker-archive (`--oci`: an OCI image layout).

use std::fs::File;
use std::path::Path;

use super::{archive, Format, FormatPlan};
use crate::context::{BuildCtx, BuildOptions};
use crate::error::BuildError;
use crate::output::docker;
use crate::plan::Plan;

pub struct Docker;

/// Docker's name for the image's platform architecture.
fn docker_architecture(platform: Option<&str>) -> &'static str {
    match platform.unwrap_or("x86_64-linux") {
        p if p.starts_with("aarch64") => "arm64",
        p if p.starts_with("armhf") || p.starts_with("arm") => "arm",
        p if p.starts_with("i686") => "386",
        p if p.starts_with("riscv64") => "riscv64",
        p if p.starts_with("powerpc64le") => "ppc64le",
        _ => "amd64",
    }
}

impl Format for Docker {
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
        ctx.progress.stage("writing the docker archive");
        let name = plan
            .image
            .operating_system
            .as_ref()
            .and_then(|o| o.host_name.clone())
            .or_else(|| plan.image.name.clone())
            .unwrap_or_else(|| "ingot".into());
        let entrypoint = if tree.lookup("/bin/sh").is_some() {
            vec!["/bin/sh".to_string()]
        } else {
            Vec::new()
        };
        docker::write_docker_in(
            out,
            tree,
            &docker::DockerParams {
                name: name.to_lowercase(),
                tag: "latest".into(),
                created: plan.timestamp,
                architecture: docker_architecture(plan.image.platform.as_deref()).into(),
                entrypoint,
                env: vec![
                    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into(),
                ],
                oci: ctx.options.oci,
            },
            ctx.scratch,
            ctx.progress,
        )?;
        Ok(())
    }
}
