//! From a model image to a file at the destination: apply overrides, fill the partitions'
//! trees, plan, write the format into a temporary file, rename it into place.

mod applies;
pub mod boot_files;
mod destination;
mod fstab;
mod host_name;
pub mod overrides;
pub mod populate;

pub use crate::file_system::Sizer;
pub use destination::{check_file as check_output_file, Destination, OutputTarget};
pub use overrides::Overrides;

pub use crate::context::{BuildCtx, BuildOptions, NoProgress, Progress, StageFn};
pub use crate::error::BuildError;

use std::path::{Path, PathBuf};

use crate::cleanup::Scratch;
use crate::model::Image;
use crate::plan::{self, IdSource, Plan, PlanOptions};

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
    let mut unwritable = plan::hurd_creator_partitions(image);
    if !opts.dry_run && !unwritable.is_empty() {
        return Err(unwritable.remove(0).into());
    }
    // What the operating-system's fields ignored is the DSL's warning, with its location.
    let (trees, mut report) = populate::partition_trees(image, opts.populate_options())?;
    let mut warnings = std::mem::take(&mut report.warnings);
    warnings.extend(plan::efi_on_mbr_warning(image));
    warnings.extend(plan::root_type_warning(image));
    warnings.extend(
        unwritable
            .iter()
            .map(|e| format!("{e}; build will refuse it")),
    );
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
    warnings.extend(small_fat32(&plan));
    plan.boot_files = report.boot_files;
    plan.notes = report.notes;
    plan.owners = image
        .operating_system
        .as_ref()
        .and_then(|os| os.root_tree.as_deref())
        .map(|tree| populate::owners_description(tree, opts.populate_options().policy));
    plan.layout = crate::format::row(plan.format)
        .format
        .plan(&mut plan, opts, &mut warnings)?;
    Ok((plan, warnings))
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
    progress: &(dyn Fn(&str) + Sync),
) -> Result<BuildReport, BuildError> {
    build_with(plan, dest, opts, &StageFn(progress))
}

/// [`build`] with a progress that also gets the bytes written.
pub fn build_with(
    plan: &Plan,
    dest: &Path,
    opts: &BuildOptions,
    progress: &dyn Progress,
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
    let ctx = BuildCtx {
        scratch: scratch.path(),
        timestamp: plan.timestamp,
        ids: IdSource::new(plan.seed.clone()),
        progress,
        options: opts,
    };
    crate::format::row(plan.format)
        .format
        .write(plan, out.file(), out.temp_path(), &ctx)?;
    ctx.check_cancelled()?;
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
