//! The command line: Guix-like options, one module per command.

mod doctor;
mod progress;

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};

use ingot::build::{self, BuildOptions, Overrides};
use ingot::dsl::Dsl;
use ingot::fs::ext::ExtBackend;
use ingot::model::{parse_size, Image};
use ingot::plan::{self, Plan};

#[derive(Parser)]
#[command(
    name = "ingot",
    version,
    about = "Build bootable disk images from Guix-style Scheme definitions, without root"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build an image: a disk image, qcow2, ISO, docker archive or tarball.
    Build(BuildArgs),
    /// Print the layout an image would have, without writing anything.
    Show(ShowArgs),
    /// An interactive Scheme session with ingot's definitions; (show IMG) prints a plan.
    Repl {
        /// A file to load first.
        file: Option<PathBuf>,
    },
    /// List the image types for -t.
    ListImageTypes,
    /// Which external tools are present and which image types they enable.
    Doctor,
    /// Read an existing image: its partition table and each partition's file system and label.
    Inspect {
        image: PathBuf,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Clone)]
struct SourceArgs {
    /// The definition: a Scheme file whose last expression is an image or an operating-system.
    file: Option<PathBuf>,
    /// Evaluate EXPR instead of a file.
    #[arg(
        short = 'e',
        long = "expression",
        value_name = "EXPR",
        conflicts_with = "file"
    )]
    expression: Option<String>,
    /// Add DIR to the directories searched for user modules (as Guix's -L; repeatable). The
    /// file's own directory is searched last.
    #[arg(short = 'L', long = "load-path", value_name = "DIR")]
    load_path: Vec<PathBuf>,
    /// Image type used when the value is an operating-system (see list-image-types).
    #[arg(
        short = 't',
        long = "image-type",
        value_name = "TYPE",
        default_value = "mbr-hybrid-raw"
    )]
    image_type: String,
    /// Size of the root partition when it is 'guess (else of the whole disk): 4096, 512M, 2GiB, 1GB.
    #[arg(long, value_name = "SIZE")]
    image_size: Option<String>,
    /// Label of the first partition (the ISO volume id).
    #[arg(long, value_name = "LABEL")]
    label: Option<String>,
    /// Make the root file system volatile (volatile-root? #t).
    #[arg(long)]
    volatile: bool,
    /// Root content (directory or tar archive) when the definition gives none, or instead of it.
    #[arg(long, value_name = "DIR|TAR")]
    root_tree: Option<PathBuf>,
    /// Directory holding board firmware blobs (U-Boot bootloaders).
    #[arg(long, value_name = "DIR")]
    firmware_dir: Option<PathBuf>,
    /// Seed for every identifier (UUIDs, GUIDs, serials); default: derived from the image.
    #[arg(long, value_name = "SEED")]
    seed: Option<String>,
    /// ext2/3/4 writer: ingot's own, or mke2fs -d (slower; for comparison).
    #[arg(long, value_enum, default_value_t = ExtWriter::Native)]
    ext_writer: ExtWriter,
    /// Keep the root tree's owners instead of making every file root:root.
    #[arg(long)]
    keep_owners: bool,
    /// docker images: an OCI image layout archive instead of a docker-archive.
    #[arg(long)]
    oci: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExtWriter {
    Native,
    Mke2fs,
}

#[derive(Args)]
struct BuildArgs {
    #[command(flatten)]
    source: SourceArgs,
    /// Output file; default: the image's name in the current directory.
    #[arg(short = 'o', long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Args)]
struct ShowArgs {
    #[command(flatten)]
    source: SourceArgs,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

fn warn(message: &str) {
    eprintln!("warning: {message}");
}

impl SourceArgs {
    fn build_options(&self) -> Result<BuildOptions> {
        Ok(BuildOptions {
            seed: self.seed.clone(),
            ext_backend: match self.ext_writer {
                ExtWriter::Native => ExtBackend::Native,
                ExtWriter::Mke2fs => ExtBackend::Mke2fs,
            },
            keep_owners: self.keep_owners,
            oci: self.oci,
            ..BuildOptions::default()
        }
        .with_env()?)
    }

    fn overrides(&self) -> Result<Overrides> {
        Ok(Overrides {
            image_size: self
                .image_size
                .as_deref()
                .map(parse_size)
                .transpose()
                .context("--image-size")?,
            label: self.label.clone(),
            volatile: self.volatile,
            root_tree: self.root_tree.clone().map(absolute).transpose()?,
            firmware_dir: self.firmware_dir.clone().map(absolute).transpose()?,
        })
    }

    /// Evaluates the definition and applies the command line to the image.
    fn image(&self) -> Result<Image> {
        let mut dsl = Dsl::new()?;
        dsl.set_load_path(
            self.load_path
                .iter()
                .cloned()
                .map(absolute)
                .collect::<Result<_>>()?,
        );
        let value = match (&self.file, &self.expression) {
            (Some(file), None) => dsl.eval_file(file)?,
            (None, Some(expr)) => dsl.eval_expr(expr)?,
            _ => bail!("give a definition file or -e EXPR"),
        };
        // An image is used as it is; an operating-system goes through the -t type.
        let mut image = dsl.image_for(&value, &self.image_type)?;
        for w in dsl.warnings() {
            match &w.location {
                Some(l) => warn(&format!("{l}: {}", w.message)),
                None => warn(&w.message),
            }
        }
        build::overrides::apply(&mut image, &self.overrides()?);
        Ok(image)
    }

    /// The plan; `dry_run` (show) needs no content ingot cannot have and runs no tool.
    fn plan(&self, dry_run: bool) -> Result<(Plan, BuildOptions)> {
        let image = self.image()?;
        let opts = BuildOptions {
            dry_run,
            ..self.build_options()?
        };
        let (plan, warnings) = build::prepare(&image, &opts)?;
        for w in warnings {
            warn(&w);
        }
        Ok((plan, opts))
    }
}

fn absolute(p: PathBuf) -> Result<PathBuf> {
    if p.is_absolute() {
        return Ok(p);
    }
    Ok(std::env::current_dir()
        .context("cannot read the current directory")?
        .join(p))
}

fn show(args: &ShowArgs) -> Result<()> {
    let (plan, _) = args.source.plan(true)?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&plan::render_json(&plan))?
        );
    } else {
        print!("{}", plan::render_table(&plan));
    }
    Ok(())
}

fn build_command(args: &BuildArgs) -> Result<()> {
    let progress = progress::Progress::start();
    progress.stage("evaluating the definition");
    let (plan, opts) = args.source.plan(false)?;
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from(&plan.file_name));
    let report = build::build(&plan, &output, &opts, &|stage| progress.stage(stage))?;
    progress.finish();
    println!("{}", report.path.display());
    eprintln!(
        "{}: {} {} bytes ({:.1} MiB), {:.1} MiB allocated",
        report.path.display(),
        plan.format.as_str(),
        report.apparent_size,
        report.apparent_size as f64 / 1048576.0,
        report.allocated_size as f64 / 1048576.0
    );
    Ok(())
}

fn list_image_types() -> Result<()> {
    let mut dsl = Dsl::new()?;
    for name in dsl.image_type_names()? {
        println!("{name}");
    }
    Ok(())
}

fn repl(file: Option<&Path>) -> Result<()> {
    let dsl = Dsl::new()?;
    let show = |image: &Image| -> String {
        match build::prepare(image, &BuildOptions::default()) {
            Ok((plan, warnings)) => {
                let mut out = String::new();
                for w in warnings {
                    out.push_str(&format!("warning: {w}\n"));
                }
                out + &plan::render_table(&plan)
            }
            Err(e) => format!("error: {e}\n"),
        }
    };
    ingot::repl::run(dsl, file, &show)?;
    Ok(())
}

pub fn run() -> Result<()> {
    let cli = Cli::parse();
    match &cli.command {
        Command::Build(args) => build_command(args),
        Command::Show(args) => show(args),
        Command::Repl { file } => repl(file.as_deref()),
        Command::ListImageTypes => list_image_types(),
        Command::Doctor => doctor::run(),
        Command::Inspect { image, json } => {
            let found = ingot::disk::inspect::inspect(image)
                .with_context(|| format!("cannot read {}", image.display()))?;
            if *json {
                println!("{}", serde_json::to_string_pretty(&found)?);
            } else {
                print!("{}", ingot::disk::inspect::render(&found));
            }
            Ok(())
        }
    }
}
