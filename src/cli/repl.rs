//! `ingot repl`: the library's REPL with the CLI's plan and build behind `(show …)` and
//! `(build …)`, so that both print and write exactly what `ingot show` and `ingot build` do.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Result;

use ingot::model::Image;
use ingot::pipeline::{self, BuildOptions, Overrides};
use ingot::plan;

use super::{absolute, output as write, progress::Progress, report, ReplArgs};

struct CliActions {
    overrides: Overrides,
    opts: BuildOptions,
}

impl CliActions {
    fn plan(&self, image: &Image) -> Result<(plan::Plan, Vec<String>)> {
        Ok(pipeline::plan_image(
            image.clone(),
            &self.overrides,
            &self.opts,
        )?)
    }

    fn try_build(&self, image: &Image, path: &Path) -> Result<String> {
        let started = Instant::now();
        let output = write::destination(Some(path), &plan::default_file_name(image))?;
        let progress = Progress::start();
        progress.stage("planning");
        let (plan, warnings) = self.plan(image)?;
        let mut out = String::new();
        for w in warnings {
            out.push_str(&format!("warning: {w}\n"));
        }
        let built = write::write(&plan, &output, &self.opts, &progress, started)?;
        out.push_str(&write::summary(&built));
        out.push('\n');
        Ok(out)
    }
}

impl ingot::repl::Actions for CliActions {
    fn show(&self, image: &Image) -> String {
        match self.plan(image) {
            Ok((plan, warnings)) => {
                let mut out = String::new();
                for w in warnings {
                    out.push_str(&format!("warning: {w}\n"));
                }
                out + &plan::render_table(&plan)
            }
            Err(e) => report::format_error(&e),
        }
    }

    fn build(&self, image: &Image, path: &Path) -> String {
        let path: PathBuf = match absolute(path.to_path_buf()) {
            Ok(p) => p,
            Err(e) => return report::format_error(&e),
        };
        self.try_build(image, &path)
            .unwrap_or_else(|e| report::format_error(&e))
    }
}

pub fn run(args: &ReplArgs) -> Result<()> {
    let mut dsl = args.limits.dsl()?;
    dsl.set_load_path(
        args.load_path
            .iter()
            .cloned()
            .map(absolute)
            .collect::<Result<_>>()?,
    );
    let actions = CliActions {
        overrides: Overrides {
            root_tree: args.root_tree.clone().map(absolute).transpose()?,
            firmware_dir: args.firmware_dir.clone().map(absolute).transpose()?,
            ..Overrides::default()
        },
        opts: BuildOptions::default().with_env()?,
    };
    ingot::repl::run(dsl, args.file.as_deref(), &actions)?;
    Ok(())
}
