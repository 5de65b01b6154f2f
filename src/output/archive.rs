//! The tree formats: tarball, wsl2 and docker, all from the operating system's root content.

use std::fs::File;

use crate::build::{populate, BuildError, BuildOptions};
use crate::model::ImageFormat;
use crate::output::{docker, tarball};
use crate::plan::Plan;

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

pub fn write(
    plan: &Plan,
    out: &File,
    opts: &BuildOptions,
    progress: &dyn Fn(&str),
) -> Result<(), BuildError> {
    progress("reading the root tree");
    let tree = populate::os_tree(&plan.image, opts.populate_options())?;
    let timestamp = plan.timestamp;
    match plan.format {
        ImageFormat::Docker => {
            progress("writing the docker archive");
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
            docker::write_docker(
                out,
                &tree,
                &docker::DockerParams {
                    name: name.to_lowercase(),
                    tag: "latest".into(),
                    created: timestamp,
                    architecture: docker_architecture(plan.image.platform.as_deref()).into(),
                    entrypoint,
                    env: vec![
                        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into(),
                    ],
                    oci: opts.oci,
                },
            )?;
        }
        _ => {
            progress("writing the tarball");
            tarball::write_tarball(
                out,
                &tree,
                &tarball::TarParams {
                    mtime: timestamp,
                    wsl2: plan.format == ImageFormat::Wsl2,
                },
            )?;
        }
    }
    Ok(())
}
