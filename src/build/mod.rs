//! From a model image to a file at the destination: apply overrides, fill the partitions'
//! trees, plan, write the format into a temporary file, rename it into place.

mod applies;
pub mod boot_files;
mod destination;
mod fstab;
mod host_name;
pub mod overrides;
pub mod populate;
mod sizer;

pub use destination::{check_file as check_output_file, Destination, OutputTarget};
pub use overrides::Overrides;
pub use sizer::Sizer;

use std::path::{Path, PathBuf};

use crate::cleanup::Scratch;
use crate::content::{LoadPolicy, Owners};
use crate::fs::ext::ExtBackend;
use crate::model::{Bootloader, Image, ImageFormat};
use crate::plan::{self, IdSource, Plan, PlanError, PlanOptions, MIB};
use populate::PopulateOptions;

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("{0}")]
    Input(String),
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error(transparent)]
    Boot(#[from] crate::boot::BootError),
    #[error(transparent)]
    Ext(#[from] crate::fs::ext::ExtError),
    #[error(transparent)]
    Fat(#[from] crate::fs::fat::FatError),
    #[error(transparent)]
    Table(#[from] crate::disk::TableError),
    #[error(transparent)]
    Output(#[from] crate::output::OutputError),
    #[error(transparent)]
    Iso(#[from] crate::fs::iso::IsoError),
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
}

impl BuildError {
    pub fn io(what: impl Into<String>, source: std::io::Error) -> Self {
        BuildError::Io {
            what: what.into(),
            source,
        }
    }
}

#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Seeds every identifier; defaults to one derived from the image itself.
    pub seed: Option<String>,
    /// SOURCE_DATE_EPOCH: clamps file times and stamps what ingot writes.
    pub source_date_epoch: Option<i64>,
    pub ext_backend: ExtBackend,
    /// Whose owners the image's files get (`--owners`).
    pub owners: Owners,
    pub alignment: u64,
    /// docker: write an OCI image layout instead of a docker-archive.
    pub oci: bool,
    /// `show`: plan without content ingot cannot have and without running any tool; what
    /// build will need is a warning (see `populate::need`).
    pub dry_run: bool,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            seed: None,
            source_date_epoch: None,
            ext_backend: ExtBackend::Native,
            owners: Owners::Auto,
            alignment: MIB,
            oci: false,
            dry_run: false,
        }
    }
}

impl BuildOptions {
    /// Reads SOURCE_DATE_EPOCH from the environment when it is set and valid.
    pub fn with_env(mut self) -> Result<Self, BuildError> {
        if self.source_date_epoch.is_none() {
            if let Ok(v) = std::env::var("SOURCE_DATE_EPOCH") {
                let epoch = v.trim().parse::<i64>().map_err(|_| {
                    BuildError::Input(format!(
                        "SOURCE_DATE_EPOCH={v:?} is not a number of seconds since 1970"
                    ))
                })?;
                self.source_date_epoch = Some(epoch);
            }
        }
        Ok(self)
    }

    /// What ingot stamps on what it generates: SOURCE_DATE_EPOCH, else 1 (as Guix's tarballs).
    pub fn timestamp(&self) -> i64 {
        self.source_date_epoch.unwrap_or(1)
    }

    pub fn populate_options(&self) -> PopulateOptions {
        PopulateOptions {
            policy: LoadPolicy {
                owners: self.owners,
                clamp_mtime: self.source_date_epoch,
            },
            timestamp: self.timestamp(),
            dry_run: self.dry_run,
        }
    }
}

/// The seed when none is given: the image's shape, its operating-system and the shape of its
/// content (entries and bytes per tree), not its format, file name or where the root tree
/// lies, so that one definition gets the same identifiers in every disk format (as Guix
/// derives them from the OS), a copy of the tree gives the same bytes, and different
/// definitions or contents get different ones.
fn default_seed(image: &Image, trees: &[crate::content::Tree]) -> String {
    let mut s = format!("ingot/{:?}", image.partition_table_type);
    for p in &image.partitions {
        s.push_str(&format!("/{}:{}:{}", p.label, p.file_system, p.size));
    }
    if let Some(os) = &image.operating_system {
        s.push_str(&format!(
            "/host={:?}/kernel={:?}/initrd={:?}/args={:?}/bootloader={:?}/fs={:?}",
            os.host_name,
            os.kernel,
            os.initrd,
            os.kernel_arguments,
            os.bootloader.as_ref().map(|b| b.bootloader.name()),
            os.file_systems
        ));
    }
    // The root content only: what ingot generates (the ESP's GRUB binary, a stand-in in a dry
    // run) must not make show's identifiers differ from build's.
    for (p, t) in image.partitions.iter().zip(trees) {
        if p.effective_initializer() == crate::model::Initializer::Root {
            let entries = t.link_counts().iter().filter(|c| **c > 0).count();
            s.push_str(&format!("/tree={entries}:{}", t.apparent_size()));
        }
    }
    s
}

/// From an evaluated image to its plan: the one path `ingot show`, `ingot build` and the
/// REPL's `(show …)` and `(build …)` take, so that they cannot disagree. Applies the operating
/// system's file systems and the command line's overrides, then [`prepare`]s.
pub fn plan_image(
    mut image: Image,
    overrides: &Overrides,
    opts: &BuildOptions,
) -> Result<(Plan, Vec<String>), BuildError> {
    overrides::apply(&mut image, overrides);
    let mut warnings = applies::check(&image, opts, overrides)?;
    let (plan, more) = prepare(&image, opts)?;
    warnings.extend(more);
    Ok((plan, warnings))
}

/// Everything before the first byte is written: trees, sizes, layout, checks.
pub fn prepare(image: &Image, opts: &BuildOptions) -> Result<(Plan, Vec<String>), BuildError> {
    // Refuse what the definition alone shows to be wrong before reading any content.
    plan::check_image(image)?;
    // What the operating-system's fields ignored is the DSL's warning, with its location.
    let (trees, mut report) = populate::partition_trees(image, opts.populate_options())?;
    let mut warnings = std::mem::take(&mut report.warnings);
    if opts.dry_run {
        warnings.extend(estimated_sizes(image));
    }
    let plan_opts = PlanOptions {
        ids: IdSource::new(
            opts.seed
                .clone()
                .unwrap_or_else(|| default_seed(image, &trees)),
        ),
        timestamp: opts.timestamp(),
        alignment: opts.alignment,
    };
    let sizer = Sizer::new(opts.ext_backend, plan_opts.timestamp);
    let mut plan = plan::plan(image, trees, &sizer, &plan_opts)?;
    let has_tree = image
        .operating_system
        .as_ref()
        .is_some_and(|os| os.root_tree.is_some());
    if matches!(
        plan.format,
        ImageFormat::Docker | ImageFormat::Tarball | ImageFormat::Wsl2
    ) && (has_tree || !opts.dry_run)
    {
        // No partitions: the root tree is read here, once, and kept for the writer.
        let (tree, root_report) = populate::root_tree(image, opts.populate_options())?;
        report.notes.extend(root_report.notes);
        warnings.extend(root_report.warnings);
        warnings.extend(sockets_left_out(&tree));
        plan.tree_content = Some(tree);
    }
    warnings.extend(small_fat32(&plan));
    if plan.format.is_disk() {
        check_firmware(image, opts, &mut warnings)?;
        plan.bios_core = bios_core(&plan, opts.dry_run, &mut warnings)?;
    }
    plan.boot_files = report.boot_files;
    plan.notes = report.notes;
    plan.owners = image
        .operating_system
        .as_ref()
        .and_then(|os| os.root_tree.as_deref())
        .map(|tree| populate::owners_description(tree, opts.populate_options().policy));
    if plan.format == ImageFormat::Iso9660 {
        warnings.extend(crate::output::iso::warnings(&plan));
    }
    Ok((plan, warnings))
}

/// Tar (and so docker layers) cannot hold sockets: they are left out, and said by name.
fn sockets_left_out(tree: &crate::content::Tree) -> Option<String> {
    let sockets: Vec<String> = tree
        .walk()
        .into_iter()
        .filter(|(_, id)| matches!(tree.node(*id).kind, crate::content::NodeKind::Socket))
        .map(|(path, _)| path)
        .collect();
    let (first, rest) = sockets.split_at(sockets.len().min(5));
    (!first.is_empty()).then(|| {
        let more = if rest.is_empty() {
            String::new()
        } else {
            format!(" and {} more", rest.len())
        };
        format!(
            "left out {} socket{} (tar cannot hold sockets): {}{more}",
            sockets.len(),
            if sockets.len() == 1 { "" } else { "s" },
            first.join(", ")
        )
    })
}

/// FAT32 partitions with fewer clusters than the FAT specification asks: made, as mkfs.fat
/// (which Guix uses) makes them, with its warning.
fn small_fat32(plan: &Plan) -> Vec<String> {
    plan.partitions
        .iter()
        .filter(|p| p.file_system == crate::model::FileSystemKind::Fat32)
        .filter_map(|p| {
            crate::fs::fat::fat32_below_spec(p.size).map(|clusters| {
                let at = p
                    .location
                    .as_ref()
                    .map(|l| format!("{l}: "))
                    .unwrap_or_default();
                format!(
                    "{at}partition {:?}: FAT32 with {clusters} clusters, fewer than the 65,525 \
                     the FAT specification asks for (made as mkfs.fat makes it; some firmware \
                     and Windows may not read it)",
                    p.label
                )
            })
        })
        .collect()
}

/// What `show` prints as an estimate: a root partition sized by 'guess with no root tree.
fn estimated_sizes(image: &Image) -> Vec<String> {
    let no_tree = image
        .operating_system
        .as_ref()
        .is_some_and(|os| os.root_tree.is_none());
    image
        .partitions
        .iter()
        .filter(|p| {
            no_tree
                && p.size == crate::model::SizeSpec::Guess
                && p.effective_initializer() == crate::model::Initializer::Root
        })
        .map(|p| {
            format!(
                "partition {:?}: size 'guess: estimated, no root tree given (build sizes it by \
                 the root tree's content)",
                p.label
            )
        })
        .collect()
}

/// Bounds of GRUB's BIOS core image with ingot's modules (about 160 KiB with GRUB 2.06), for a
/// dry run that does not run GRUB: a gap below the least is refused as build would refuse it,
/// one below the most is left for build to check.
const BIOS_CORE_LEAST: u64 = 64 * 1024;
const BIOS_CORE_MOST: u64 = 512 * 1024;

/// GRUB for BIOS: the core image, checked to fit between the MBR and the first partition. A
/// dry run makes none and checks the gap against `BIOS_CORE_BOUND`.
fn bios_core(
    plan: &Plan,
    dry_run: bool,
    warnings: &mut Vec<String>,
) -> Result<Option<Vec<u8>>, BuildError> {
    let Some(os) = &plan.image.operating_system else {
        return Ok(None);
    };
    let Some(bl) = os
        .bootloader
        .as_ref()
        .filter(|b| b.bootloader == Bootloader::GrubBios)
    else {
        return Ok(None);
    };
    // Located at the bootloader-configuration that asks for BIOS GRUB.
    let input = |message: &str| {
        BuildError::Input(crate::model::at_field(
            bl.location.as_ref(),
            "bootloader-configuration",
            "bootloader",
            message,
        ))
    };
    if plan.table != Some(crate::model::PartitionTableType::Mbr) {
        return Err(input(
            "grub-bootloader (BIOS) lives in the gap after the MBR and needs an MBR table; use \
             -t mbr-raw or mbr-hybrid-raw, or grub-efi-bootloader with GPT",
        ));
    }
    let (root, search) = match (plan.root_partition(), populate::root_search(&plan.image)) {
        (Some(root), Some(search)) => (root, search),
        _ => {
            return Err(input(
                "grub-bootloader needs a root partition (one with the boot flag)",
            ))
        }
    };
    use crate::boot::grub;
    let first = plan.partitions.iter().map(|p| p.offset).min().unwrap_or(0);
    if dry_run {
        let least = plan::SECTOR + BIOS_CORE_LEAST;
        if least > first {
            return Err(input(&format!(
                "GRUB's BIOS core image needs bytes 512..{least} at least after the MBR, but \
                 the first partition starts at {first}; start it at 1 MiB (offset 0 does)"
            )));
        }
        if plan::SECTOR + BIOS_CORE_MOST > first {
            warnings.push(format!(
                "GRUB's BIOS core image may not fit before the first partition at {first}: \
                 build checks it (it takes about 160 KiB)"
            ));
        }
        return Ok(None);
    }
    let prefix = format!("(hd0,msdos{})/boot/grub", root.index);
    let core = grub::bios_core_image(
        &prefix,
        &grub::bios_early_config(&search),
        grub::BIOS_MODULES,
    )?;
    let needed = plan::SECTOR + (core.len() as u64).div_ceil(plan::SECTOR) * plan::SECTOR;
    if needed > first {
        return Err(input(&format!(
            "GRUB's BIOS core image needs bytes 512..{needed} after the MBR, but the first \
             partition starts at {first}; start it at 1 MiB (offset 0 does)"
        )));
    }
    Ok(Some(core))
}

/// A board bootloader's blobs must all be there before anything is written (a dry run
/// warns).
fn check_firmware(
    image: &Image,
    opts: &BuildOptions,
    warnings: &mut Vec<String>,
) -> Result<(), BuildError> {
    let Some(os) = &image.operating_system else {
        return Ok(());
    };
    let Some((Bootloader::UBoot { board: name }, location)) = os
        .bootloader
        .as_ref()
        .map(|b| (&b.bootloader, b.location.as_ref()))
    else {
        return Ok(());
    };
    let board = crate::boot::board::board(name).ok_or_else(|| {
        BuildError::Input(crate::model::at_field(
            location,
            "bootloader-configuration",
            "bootloader",
            &format!("no U-Boot board named {name:?} is known"),
        ))
    })?;
    let names: Vec<&str> = board.blobs.iter().map(|b| b.file).collect();
    let Some(dir) = os.firmware_directory.as_ref() else {
        return populate::need(
            os,
            opts.populate_options(),
            warnings,
            format!(
                "the {name} bootloader writes firmware blobs ({}): give their directory with \
                 --firmware-dir DIR or (firmware-directory \"DIR\")",
                names.join(", ")
            ),
        );
    };
    for file in names {
        if !dir.join(file).is_file() {
            let missing = crate::boot::BootError::BlobMissing {
                file: file.to_string(),
                dir: dir.clone(),
            };
            populate::need(os, opts.populate_options(), warnings, missing.to_string())?;
        }
    }
    Ok(())
}

/// What a build produced.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub path: PathBuf,
    pub apparent_size: u64,
    pub allocated_size: u64,
}

/// Writes `plan` to `dest` atomically. `progress` receives one line per stage.
pub fn build(
    plan: &Plan,
    dest: &Path,
    opts: &BuildOptions,
    progress: &dyn Fn(&str),
) -> Result<BuildReport, BuildError> {
    crate::cleanup::install_interrupt_handler();
    destination::check_file(dest)?;
    let parent = destination::parent_of(dest);
    // What killed runs left here (their pid is in the name) goes before we add ours.
    crate::cleanup::remove_stale(&parent);
    let scratch = Scratch::new_in(&parent).map_err(|e| {
        BuildError::io(
            format!("cannot create a scratch directory in {}", parent.display()),
            e,
        )
    })?;
    let out = Destination::create(dest).map_err(|e| {
        BuildError::io(format!("cannot create a file beside {}", dest.display()), e)
    })?;
    match plan.format {
        ImageFormat::DiskImage => {
            crate::output::disk::write_disk(plan, out.file(), opts, progress)?;
        }
        ImageFormat::CompressedQcow2 => {
            let raw_path = scratch.path().join("disk.raw");
            let raw = std::fs::File::options()
                .read(true)
                .write(true)
                .create_new(true)
                .open(&raw_path)
                .map_err(|e| BuildError::io("cannot create the intermediate raw image", e))?;
            crate::output::disk::write_disk(plan, &raw, opts, progress)?;
            drop(raw);
            progress("compressing to qcow2 (zstd)");
            crate::output::qcow2::convert_to_qcow2(&raw_path, out.temp_path())?;
        }
        ImageFormat::Iso9660 => {
            crate::output::iso::write(plan, out.file(), opts, progress)?;
        }
        ImageFormat::Docker | ImageFormat::Tarball | ImageFormat::Wsl2 => {
            crate::output::archive::write(plan, out.file(), opts, progress)?;
        }
    }
    let path = out
        .commit()
        .map_err(|e| BuildError::io(format!("cannot move the image to {}", dest.display()), e))?;
    drop(scratch);
    let md = std::fs::metadata(&path).map_err(|e| BuildError::io(path.display().to_string(), e))?;
    use std::os::unix::fs::MetadataExt;
    Ok(BuildReport {
        path,
        apparent_size: md.len(),
        allocated_size: md.blocks() * 512,
    })
}
