//! The command line: Guix-like options, one module per command.

mod doctor;
mod output;
mod progress;
mod repl;
pub mod report;

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};

use ingot::content::Owners;
use ingot::dsl::{Dsl, Evaluated};
use ingot::format::image_types::image_types;
use ingot::fs::ext::ExtBackend;
use ingot::model::{parse_size, Image};
use ingot::pipeline::{self, BuildOptions, OutputTarget, Overrides};
use ingot::plan::{self, Plan};

#[derive(Parser)]
#[command(
    name = "ingot",
    version,
    about = "Build bootable disk images from Guix-style Scheme definitions, without root"
)]
#[command(after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print only errors (no warnings, progress or summary).
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print each stage of the work as a line.
    #[arg(short, long, global = true)]
    verbose: bool,
    /// Colour the error and warning prefixes.
    #[arg(long, value_enum, global = true, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
}

/// Documented in --help, the man page and the README.
const EXIT_CODES: &str = "Exit status: 0 success; 1 an error (bad definition or option, a \
failed build, doctor finding an image type unavailable); 2 a usage error (unknown option or \
subcommand); 130 interrupted (Ctrl-C, SIGTERM or SIGHUP: temporary files removed).";

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Build an image: a disk image, qcow2, ISO, docker archive or tarball.
    Build(BuildArgs),
    /// Print the layout an image would have, without writing anything.
    Show(ShowArgs),
    /// An interactive Scheme session with ingot's definitions; (show IMG) prints a plan.
    Repl(ReplArgs),
    /// List the image types for -t, one line each; marks those that cannot be built here.
    ListImageTypes {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Which external tools are present and which image types they enable; exits 1 when an
    /// image type is unavailable.
    Doctor {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print a shell completion script: `ingot completions bash > /etc/bash_completion.d/ingot`.
    Completions { shell: clap_complete::Shell },
    /// Print the man page (roff): `ingot man | man -l -`.
    Man,
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
    /// Image type used when the value is an operating-system (see list-image-types)
    /// [default: mbr-hybrid-raw].
    #[arg(short = 't', long = "image-type", value_name = "TYPE")]
    image_type: Option<String>,
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
    /// Owners in the image: keep (the input's), root (every file root:root), map-self (your
    /// uid/gid become 0, other owners kept); auto: keep for a tar archive or when run as root,
    /// map-self for a directory read by an ordinary user.
    #[arg(long, value_enum, default_value_t = OwnersArg::Auto)]
    owners: OwnersArg,
    /// Deprecated: the same as --owners keep.
    #[arg(long, hide = true)]
    keep_owners: bool,
    /// docker images: an OCI image layout archive instead of a docker-archive.
    #[arg(long)]
    oci: bool,
    #[command(flatten)]
    limits: LimitArgs,
}

/// Bounds on evaluating a definition (which is untrusted: see README, "Trust model").
#[derive(Args, Clone)]
struct LimitArgs {
    /// Stop evaluating the definition after SECS seconds (0: no limit).
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    eval_timeout: u64,
    /// Stop evaluating the definition when it holds more than SIZE of memory.
    #[arg(long, value_name = "SIZE", default_value = "2GiB")]
    eval_memory: String,
}

impl LimitArgs {
    /// A `Dsl` with these limits.
    fn dsl(&self) -> Result<Dsl> {
        let mut dsl = Dsl::new()?;
        dsl.set_limits(ingot::dsl::Limits {
            timeout: (self.eval_timeout > 0)
                .then(|| std::time::Duration::from_secs(self.eval_timeout)),
            memory: parse_size(&self.eval_memory).context("--eval-memory")?,
        });
        Ok(dsl)
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OwnersArg {
    Auto,
    Keep,
    Root,
    MapSelf,
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
    /// Output file, or a directory to write the image's default name in; default: the
    /// image's name in the current directory. Only a regular file is ever replaced.
    #[arg(short = 'o', long, value_name = "FILE|DIR")]
    output: Option<PathBuf>,
    /// Print the result as JSON (path, format, size, allocated, sha256, seconds).
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct ReplArgs {
    /// A file to load first; its value is bound to %value.
    file: Option<PathBuf>,
    /// Root content (directory or tar archive) for the images shown and built.
    #[arg(long, value_name = "DIR|TAR")]
    root_tree: Option<PathBuf>,
    /// Directory holding board firmware blobs (U-Boot bootloaders).
    #[arg(long, value_name = "DIR")]
    firmware_dir: Option<PathBuf>,
    /// Add DIR to the directories searched for user modules (as Guix's -L; repeatable).
    #[arg(short = 'L', long = "load-path", value_name = "DIR")]
    load_path: Vec<PathBuf>,
    #[command(flatten)]
    limits: LimitArgs,
}

#[derive(Args)]
struct ShowArgs {
    #[command(flatten)]
    source: SourceArgs,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

const DEFAULT_IMAGE_TYPE: &str = "mbr-hybrid-raw";

fn warn(message: &str) {
    progress::warn(message);
}

impl SourceArgs {
    fn build_options(&self) -> Result<BuildOptions> {
        Ok(BuildOptions {
            seed: self.seed.clone(),
            ext_backend: match self.ext_writer {
                ExtWriter::Native => ExtBackend::Native,
                ExtWriter::Mke2fs => ExtBackend::Mke2fs,
            },
            owners: match (self.owners, self.keep_owners) {
                (_, true) | (OwnersArg::Keep, _) => Owners::Keep,
                (OwnersArg::Auto, _) => Owners::Auto,
                (OwnersArg::Root, _) => Owners::Root,
                (OwnersArg::MapSelf, _) => Owners::MapSelf,
            },
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

    /// Evaluates the definition into an image (the command line is applied by `plan_of`).
    fn image(&self) -> Result<Image> {
        let mut dsl = self.limits.dsl()?;
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
        let image_type = self.image_type.as_deref().unwrap_or(DEFAULT_IMAGE_TYPE);
        if let (Evaluated::Image(_), Some(t)) = (&value, &self.image_type) {
            warn(&format!(
                "-t {t} was not used: the definition's value is already an image (-t applies \
                 to an operating-system)"
            ));
        }
        let image = dsl.image_for(&value, image_type)?;
        for w in dsl.warnings() {
            match &w.location {
                Some(l) => warn(&format!("{l}: {}", w.message)),
                None => warn(&w.message),
            }
        }
        Ok(image)
    }

    /// `show`'s plan: a dry run, with no content ingot cannot have and no tool run.
    fn plan(&self) -> Result<(Plan, BuildOptions)> {
        self.plan_with(self.image()?, true)
    }

    /// The image's plan with the command line applied, as the REPL makes it too.
    fn plan_of(&self, image: Image) -> Result<(Plan, BuildOptions)> {
        self.plan_with(image, false)
    }

    fn plan_with(&self, image: Image, dry_run: bool) -> Result<(Plan, BuildOptions)> {
        let opts = BuildOptions {
            dry_run,
            ..self.build_options()?
        };
        let (plan, warnings) = pipeline::plan_image(image, &self.overrides()?, &opts)?;
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
    let (plan, _) = args.source.plan()?;
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
    let started = std::time::Instant::now();
    // The destination is checked before any work: a device or FIFO is never touched.
    if let Some(path) = &args.output {
        OutputTarget::check(path)?;
    }
    let progress = progress::Progress::start();
    progress.stage("evaluating the definition");
    let image = args.source.image()?;
    let destination =
        output::destination(args.output.as_deref(), &plan::default_file_name(&image))?;
    let (plan, opts) = args.source.plan_of(image)?;
    let built = output::write(&plan, &destination, &opts, &progress, started)?;
    if progress::verbosity() != progress::Verbosity::Quiet {
        for line in plan.boot_files.iter().flat_map(|b| b.summary()) {
            eprintln!("{line}");
        }
        for note in &plan.notes {
            eprintln!("note: {note}");
        }
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&output::summary_json(&built)?)?
        );
    } else {
        println!("{}", built.report.path.display());
        if progress::verbosity() != progress::Verbosity::Quiet {
            eprintln!("{}", output::summary(&built));
        }
    }
    Ok(())
}

pub fn run() -> Result<()> {
    let cli = Cli::parse();
    progress::configure(
        if cli.quiet {
            progress::Verbosity::Quiet
        } else if cli.verbose {
            progress::Verbosity::Verbose
        } else {
            progress::Verbosity::Normal
        },
        match cli.color {
            ColorChoice::Auto => None,
            ColorChoice::Always => Some(true),
            ColorChoice::Never => Some(false),
        },
    );
    match &cli.command {
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(*shell, &mut cmd, "ingot", &mut std::io::stdout());
            Ok(())
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(cmd).render(&mut std::io::stdout())?;
            Ok(())
        }
        Command::Build(args) => build_command(args),
        Command::Show(args) => show(args),
        Command::Repl(args) => repl::run(args),
        Command::ListImageTypes { json } => doctor::list_image_types(&image_types(), *json),
        Command::Doctor { json } => doctor::run(&image_types(), *json),
        Command::Inspect { image, json } => {
            let found = ingot::disk::inspect::inspect(image)?;
            if *json {
                println!("{}", serde_json::to_string_pretty(&found)?);
            } else {
                print!("{}", ingot::disk::inspect::render(&found));
            }
            Ok(())
        }
    }
}
