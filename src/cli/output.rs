//! `ingot build` and the REPL's `(build …)`: one way from a plan to a file, with the same
//! progress and the same summary (or JSON).

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Result;
use serde_json::json;
use sha2::{Digest, Sha256};

use ingot::pipeline::{self, BuildOptions, BuildReport, OutputTarget};
use ingot::plan::Plan;

use super::progress::Progress;

pub struct Built {
    pub report: BuildReport,
    pub format: &'static str,
    pub seconds: f64,
}

/// Where `-o` (or the REPL's file name) sends the image: checked before any work, a
/// directory taking the image's default name.
pub fn destination(requested: Option<&Path>, default_name: &str) -> Result<PathBuf> {
    Ok(match requested {
        Some(path) => OutputTarget::check(path)?.file(default_name)?,
        None => {
            let path = PathBuf::from(default_name);
            pipeline::check_output_file(&path)?;
            path
        }
    })
}

/// Writes `plan` to `output` atomically, with progress.
pub fn write(
    plan: &Plan,
    output: &Path,
    opts: &BuildOptions,
    progress: &Progress,
    started: Instant,
) -> Result<Built> {
    let report = pipeline::build_with(plan, output, opts, progress)?;
    progress.finish();
    Ok(Built {
        report,
        format: plan.format.as_str(),
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// The line people read after a build.
pub fn summary(b: &Built) -> String {
    let r = &b.report;
    format!(
        "{}: {} {} bytes ({:.1} MiB), {:.1} MiB allocated, built in {:.1} s",
        r.path.display(),
        b.format,
        r.apparent_size,
        r.apparent_size as f64 / 1048576.0,
        r.allocated_size as f64 / 1048576.0,
        b.seconds
    )
}

/// What scripts read after a build: path, format, sizes, sha256 and time.
pub fn summary_json(b: &Built) -> Result<serde_json::Value> {
    let mut file = std::fs::File::open(&b.report.path)?;
    let mut hash = Sha256::new();
    std::io::copy(&mut file, &mut hash)?;
    Ok(json!({
        "path": b.report.path,
        "format": b.format,
        "size": b.report.apparent_size,
        "allocated": b.report.allocated_size,
        "sha256": format!("{:x}", hash.finalize()),
        "seconds": (b.seconds * 1000.0).round() / 1000.0,
    }))
}
