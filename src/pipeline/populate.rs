//! The initializers: what each partition's tree holds before its file system is made.
//! Guix's initialize-root-partition (the OS's root tree, kernel, initrd, hostname and
//! bootloader configuration), initialize-efi-partition (a standalone GRUB EFI binary), and a
//! user's recorded Scheme initializer.

use std::path::Path;

use crate::boot::grub::{self, EfiArch, MenuEntry, RootSearch};
use crate::content::{self, ContentError, LoadPolicy, Tree};
use crate::model::{
    self, Bootloader, FileRef, FileSystemKind, Image, ImageFormat, Initializer, TreeOp,
};

use super::boot_files::{self, BootFiles};
use super::{fstab, host_name, BuildError};

#[derive(Debug, Clone, Copy)]
pub struct PopulateOptions {
    pub policy: LoadPolicy,
    /// mtime of every file ingot generates.
    pub timestamp: i64,
    /// `show`: content ingot cannot have (no kernel, no GRUB run) is a warning and a stand-in
    /// of the same layout, not an error.
    pub dry_run: bool,
}

impl crate::context::BuildOptions {
    /// What reading and filling trees takes from the build's options.
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

/// What `build` needs and the definition does not give, found without building: located at
/// the operating-system form; in a dry run a warning ("build will need …"), else the error.
pub(crate) fn need(
    os: &crate::model::OperatingSystem,
    opts: PopulateOptions,
    warnings: &mut Vec<String>,
    message: String,
) -> Result<(), BuildError> {
    let located = match &os.location {
        Some(l) => format!("{l}: {message}"),
        None => message,
    };
    if opts.dry_run {
        warnings.push(format!("{located}; build will need it"));
        Ok(())
    } else {
        Err(BuildError::Input(located))
    }
}

/// An input error of the operating-system's `field`, pointing at the record.
fn os_input(os: &crate::model::OperatingSystem, field: &str, message: String) -> BuildError {
    BuildError::Input(model::at_field(
        os.location.as_ref(),
        "operating-system",
        field,
        &message,
    ))
}

/// The size `show` assumes for a standalone GRUB EFI binary it does not make: above what
/// grub-mkimage gives for ingot's module list on every architecture (x86_64: about 620 KiB).
pub const EFI_BINARY_BOUND: usize = 2 * 1024 * 1024;

/// How the root file system is found at boot: by the root partition's explicit UUID, else its
/// label.
pub fn root_search(image: &Image) -> Option<RootSearch> {
    let root = &image.partitions[image.root_partition_index()?];
    Some(match root.uuid {
        Some(u) if root.file_system != FileSystemKind::Unformatted => {
            RootSearch::FsUuid(u.to_string())
        }
        // An ISO's label is its volume id, which ISO 9660 keeps upper-case.
        _ if image.format == ImageFormat::Iso9660 => {
            RootSearch::Label(crate::fs::iso::volume_id(&root.label))
        }
        _ => RootSearch::Label(root.label.clone()),
    })
}

/// Loads a root tree: a directory, a tar archive (plain or compressed), a container image.
pub fn load_root_tree(path: &Path, policy: LoadPolicy) -> Result<Tree, ContentError> {
    content::load(path, policy).map(|(tree, _)| tree)
}

/// The owner rule for a root tree at `path`, as `show` and the build's note say it.
pub fn owners_description(path: &Path, policy: LoadPolicy) -> String {
    policy.owners.describe(content::reads_as_directory(path))
}

/// Loads a root tree and notes, once, when the owner rule changed owners.
fn load_noting(
    path: &Path,
    policy: LoadPolicy,
    notes: &mut Vec<String>,
) -> Result<Tree, ContentError> {
    let (tree, report) = content::load(path, policy)?;
    if report.owners_rewritten > 0 {
        notes.push(format!(
            "{}: owners of {} entries rewritten: --owners {}",
            path.display(),
            report.owners_rewritten,
            owners_description(path, policy)
        ));
    }
    Ok(tree)
}

/// What follows `root=` on the kernel command line.
fn root_argument(search: &RootSearch) -> String {
    match search {
        RootSearch::Label(l) => format!("LABEL={l}"),
        RootSearch::FsUuid(u) => format!("UUID={u}"),
    }
}

/// What building the root tree chose and noticed, for the build summary and `show`.
#[derive(Debug, Clone, Default)]
pub struct RootReport {
    /// The kernel and initrd the bootloader configuration names (images that boot).
    pub boot_files: Option<BootFiles>,
    /// What the operating-system's fields replaced in the tree.
    pub notes: Vec<String>,
    pub warnings: Vec<String>,
}

/// The root partition's tree: Guix's initialize-root-partition, with ingot's root-tree. The
/// bootloader's configuration is written only for images that boot (disks and ISOs).
pub fn root_tree(image: &Image, opts: PopulateOptions) -> Result<(Tree, RootReport), BuildError> {
    let boots = image.format.is_disk() || image.format == ImageFormat::Iso9660;
    let mut report = RootReport::default();
    let Some(os) = &image.operating_system else {
        return Ok((Tree::new_at(opts.timestamp), report));
    };
    let mut tree = match &os.root_tree {
        Some(path) => load_noting(path, opts.policy, &mut report.notes)
            .map_err(|e| os_input(os, "root-tree", e.to_string()))?,
        None => Tree::new_at(opts.timestamp),
    };
    if let Some(host) = &os.host_name {
        report
            .notes
            .extend(
                host_name::apply(&mut tree, host, opts.timestamp).map_err(|e| match e {
                    BuildError::Input(m) => os_input(os, "host-name", m),
                    other => other,
                })?,
            );
    }
    if let (ImageFormat::Iso9660, Some(RootSearch::Label(volume_id))) =
        (image.format, root_search(image))
    {
        report
            .notes
            .extend(fstab::iso_root(&mut tree, &volume_id, opts.timestamp)?);
    }
    // A dry run without the root tree a path names: build will need it.
    let mut needs = Vec::new();
    let mut present = |file: Option<&FileRef>, what: &str| -> Result<bool, BuildError> {
        if let Some(FileRef::InRoot(path)) = file {
            // Not in the tree: the host's file is read instead (boot_files), when there is one.
            let on_host = std::path::Path::new(path).exists();
            if opts.dry_run && tree.lookup(path).is_none() && !on_host {
                need(
                    os,
                    opts,
                    &mut needs,
                    format!("{what} {path} is neither a host file nor in the root tree"),
                )?;
                return Ok(false);
            }
        }
        Ok(true)
    };
    let kernel_ref = os.kernel.as_ref();
    let kernel_ref = if present(kernel_ref, "kernel")? {
        kernel_ref
    } else {
        None
    };
    let initrd_ref = os.initrd.as_ref();
    let initrd_ref = if present(initrd_ref, "initrd")? {
        initrd_ref
    } else {
        None
    };
    let stood_in = os.kernel.is_some() && kernel_ref.is_none();
    let (mut files, warnings) =
        boot_files::choose(&tree, kernel_ref, initrd_ref, os.location.as_ref())?;
    if files.kernel.is_none() {
        let tree_has = if os.root_tree.is_some() {
            "the root tree has no /boot/vmlinuz-*"
        } else {
            "no root tree is given"
        };
        files.no_kernel = match (&os.kernel, os.kernel_package.as_deref()) {
            (Some(FileRef::InRoot(path)), _) => Some(format!(
                "the kernel field's {path} is neither a host file nor in the root tree"
            )),
            (_, Some(p)) if model::is_hurd_kernel(p) => Some(format!(
                "the kernel field names {p}, the Hurd, which ingot neither builds nor boots"
            )),
            (_, Some(p)) => Some(format!(
                "the kernel field names {p}, a package ingot does not build, and {tree_has}"
            )),
            _ => None,
        };
    }
    report.warnings = warnings;
    report.warnings.extend(needs);
    boot_files::place(&mut tree, &files, os.location.as_ref())?;
    if let Some(bl) = os.bootloader.as_ref().filter(|_| boots) {
        let search = root_search(image).ok_or_else(|| {
            BuildError::Input(model::at_field(
                image.location.as_ref(),
                "image",
                "partitions",
                "the image has no partition with the boot flag for the root",
            ))
        })?;
        let kernel = match files.kernel.as_ref() {
            Some(k) => k.path.clone(),
            None if stood_in => "/boot/vmlinuz".to_string(),
            None => {
                let given = if os.root_tree.is_some() {
                    "no /boot/vmlinuz* in the root tree"
                } else {
                    "no root tree given"
                };
                let package = match os.kernel_package.as_deref() {
                    Some(p) if model::is_hurd_kernel(p) => format!(
                        "its kernel {p} is the Hurd, which ingot neither builds nor boots (its \
                         hurd-raw and hurd-qcow2 images are shown, not built)"
                    ),
                    Some(p) => format!("its kernel {p} is a package ingot does not build"),
                    None => "Guix's default linux-libre is a package ingot does not build".into(),
                };
                need(
                    os,
                    opts,
                    &mut report.warnings,
                    format!(
                        "the {} needs a kernel: no (kernel …) that ingot can use and {given}; \
                         {package}: set (kernel (local-file \"…\")) or put /boot/vmlinuz in \
                         the root tree",
                        bl.name
                    ),
                )?;
                // The stand-in path gives grub.cfg the length a real one has.
                "/boot/vmlinuz".to_string()
            }
        };
        let initrd = files.initrd.as_ref().map(|i| i.path.clone());
        let root_arg = root_argument(&search);
        let (path, text) = match &bl.bootloader {
            Bootloader::UBoot { .. } => {
                let mut args = vec![format!("root={root_arg}")];
                args.extend(os.kernel_arguments.iter().cloned());
                (
                    "/boot/extlinux/extlinux.conf",
                    crate::boot::extlinux::config(
                        &kernel,
                        initrd.as_deref(),
                        &args,
                        // Evaluation refuses a negative timeout for U-Boot.
                        u32::try_from(bl.timeout).unwrap_or(0),
                    ),
                )
            }
            _ => (
                "/boot/grub/grub.cfg",
                grub::grub_cfg(&MenuEntry {
                    title: os
                        .label
                        .clone()
                        .or_else(|| os.host_name.clone())
                        .unwrap_or_else(|| "GNU with Linux".into()),
                    kernel_path: kernel,
                    initrd_path: initrd,
                    root_arg,
                    kernel_arguments: os.kernel_arguments.clone(),
                    timeout: bl.timeout,
                    search,
                }),
            ),
        };
        tree.add_bytes(path, text.into_bytes(), 0o644)
            .map_err(|e| os_input(os, "bootloader", e.to_string()))?;
        set_mtime(&mut tree, path, opts.timestamp);
        report.boot_files = Some(files);
    }
    Ok((tree, report))
}

fn set_mtime(tree: &mut Tree, path: &str, mtime: i64) {
    if let Some(id) = tree.lookup(path) {
        tree.node_mut(id).meta.mtime = mtime;
    }
}

/// The ESP's tree: a standalone GRUB EFI binary that finds the root and loads its grub.cfg.
fn efi_tree(image: &Image, arch: EfiArch, opts: PopulateOptions) -> Result<Tree, BuildError> {
    let search = root_search(image).unwrap_or(RootSearch::Label("Guix_image".into()));
    // A dry run runs no GRUB: a stand-in of `EFI_BINARY_BOUND` bytes takes its place.
    let binary = if opts.dry_run {
        vec![0; EFI_BINARY_BOUND]
    } else {
        grub::efi_binary(arch, &grub::efi_config(&search))?
    };
    let mut tree = Tree::new_at(opts.timestamp);
    tree.add_bytes(arch.removable_path(), binary, 0o644)
        .map_err(|e| BuildError::Input(e.to_string()))?;
    tree.set_all_mtimes(opts.timestamp);
    Ok(tree)
}

fn efi_arch(image: &Image, initializer: &Initializer) -> EfiArch {
    if *initializer == Initializer::Efi32 {
        return EfiArch::Ia32;
    }
    match image.platform.as_deref() {
        Some(p) if p.starts_with("aarch64") => EfiArch::Aa64,
        Some(p) if p.starts_with("riscv64") => EfiArch::Riscv64,
        Some(p) if p.starts_with("i686") => EfiArch::Ia32,
        _ => EfiArch::X86_64,
    }
}

/// Applies a user's recorded initializer operations to a fresh tree.
/// Errors name the partition's initializer field, at `location`.
fn custom_tree(
    ops: &[TreeOp],
    opts: PopulateOptions,
    location: Option<&crate::model::SourceLoc>,
) -> Result<Tree, BuildError> {
    let mut tree = Tree::new_at(opts.timestamp);
    let err = |e: ContentError| {
        BuildError::Input(model::at_field(
            location,
            "partition",
            "initializer",
            &e.to_string(),
        ))
    };
    for op in ops {
        match op {
            TreeOp::Mkdir { path, mode } => {
                let id = tree.mkdir_p(path).map_err(err)?;
                tree.node_mut(id).meta.mode = mode & 0o7777;
            }
            TreeOp::WriteFile {
                path,
                contents,
                mode,
            } => {
                tree.add_bytes(path, contents.clone(), *mode).map_err(err)?;
            }
            TreeOp::CopyFile { source, path, mode } => {
                tree.add_host_file(path, source, *mode).map_err(err)?;
            }
            TreeOp::CopyTree { source, path } => {
                let sub = load_root_tree(source, opts.policy).map_err(err)?;
                tree.graft(path, &sub).map_err(err)?;
            }
            TreeOp::Symlink { target, path } => {
                tree.insert(
                    path,
                    content::Node {
                        meta: content::Meta::new(0o777),
                        kind: content::NodeKind::Symlink(target.clone().into_bytes()),
                    },
                )
                .map_err(err)?;
            }
        }
    }
    tree.set_all_mtimes(opts.timestamp);
    Ok(tree)
}

/// One tree per partition of `image`, in order, plus what building the root tree reported
/// (its warnings include the partitions skipped).
pub fn partition_trees(
    image: &Image,
    opts: PopulateOptions,
) -> Result<(Vec<Tree>, RootReport), BuildError> {
    // Which of `trees` is the root tree, once made (kept once: a copy only for a second
    // partition with the root's content, as the tree can be large).
    let mut root: Option<usize> = None;
    let mut trees: Vec<Tree> = Vec::with_capacity(image.partitions.len());
    let mut report = RootReport::default();
    let mut warnings = Vec::new();
    for p in &image.partitions {
        if p.file_system == FileSystemKind::Unformatted {
            trees.push(Tree::new_at(opts.timestamp));
            continue;
        }
        let init = p.effective_initializer();
        let tree = match &init {
            Initializer::Root => match root {
                Some(i) => trees[i].clone(),
                None => {
                    let (t, r) = root_tree(image, opts)?;
                    report = r;
                    root = Some(trees.len());
                    t
                }
            },
            Initializer::Efi | Initializer::Efi32 => efi_tree(image, efi_arch(image, &init), opts)?,
            Initializer::Custom(ops) => custom_tree(ops, opts, p.location.as_ref())?,
            Initializer::Unknown(name) => {
                warnings.push(format!(
                    "partition {:?}: initializer {name} is not one ingot knows; the partition \
                     is left empty",
                    p.label
                ));
                Tree::new_at(opts.timestamp)
            }
        };
        trees.push(tree);
    }
    report.warnings.extend(warnings);
    Ok((trees, report))
}

/// The root content for the tree-based formats (tarball, docker, wsl2, iso).
pub fn os_tree(image: &Image, opts: PopulateOptions) -> Result<Tree, BuildError> {
    root_tree(image, opts).map(|(tree, _)| tree)
}
