//! The initializers: what each partition's tree holds before its file system is made.
//! Guix's initialize-root-partition (the OS's root tree, kernel, initrd, hostname and
//! bootloader configuration), initialize-efi-partition (a standalone GRUB EFI binary), and a
//! user's recorded Scheme initializer.

use std::path::Path;

use crate::boot::grub::{self, EfiArch, MenuEntry, RootSearch};
use crate::content::{self, ContentError, LoadPolicy, Tree};
use crate::model::{Bootloader, FileSystemKind, Image, ImageFormat, Initializer, TreeOp};

use super::boot_files::{self, BootFiles};
use super::{fstab, host_name, BuildError};

#[derive(Debug, Clone, Copy)]
pub struct PopulateOptions {
    pub policy: LoadPolicy,
    /// mtime of every file ingot generates.
    pub timestamp: i64,
}

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

/// Loads a root tree: a directory, or a tar archive (optionally gzip-compressed).
pub fn load_root_tree(path: &Path, policy: LoadPolicy) -> Result<Tree, ContentError> {
    let md = std::fs::metadata(path).map_err(|e| ContentError::io(path, e))?;
    if md.is_dir() {
        content::load_dir(path, policy)
    } else {
        content::load_tar(path, policy)
    }
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
        return Ok((Tree::new(), report));
    };
    let mut tree = match &os.root_tree {
        Some(path) => load_root_tree(path, opts.policy)
            .map_err(|e| BuildError::Input(format!("root-tree: {e}")))?,
        None => Tree::new(),
    };
    if let Some(host) = &os.host_name {
        report.notes = host_name::apply(&mut tree, host, opts.timestamp)?;
    }
    if let (ImageFormat::Iso9660, Some(RootSearch::Label(volume_id))) =
        (image.format, root_search(image))
    {
        report
            .notes
            .extend(fstab::iso_root(&mut tree, &volume_id, opts.timestamp)?);
    }
    let (files, warnings) = boot_files::choose(&tree, os.kernel.as_ref(), os.initrd.as_ref())?;
    report.warnings = warnings;
    boot_files::place(&mut tree, &files)?;
    if let Some(bl) = os.bootloader.as_ref().filter(|_| boots) {
        let search = root_search(image).ok_or_else(|| {
            BuildError::Input("the image has no partition with the boot flag for the root".into())
        })?;
        let kernel = files
            .kernel
            .as_ref()
            .map(|k| k.path.clone())
            .ok_or_else(|| {
                BuildError::Input(
                    "the operating-system has a bootloader but no kernel: set (kernel …) or put \
                 /boot/vmlinuz-VERSION in the root tree"
                        .into(),
                )
            })?;
        let initrd = files.initrd.as_ref().map(|i| i.path.clone());
        let root_arg = root_argument(&search);
        let (path, text) = match &bl.bootloader {
            Bootloader::UBoot { .. } => {
                let mut args = vec![format!("root={root_arg}")];
                args.extend(os.kernel_arguments.iter().cloned());
                (
                    "/boot/extlinux/extlinux.conf",
                    crate::boot::extlinux::config(&kernel, initrd.as_deref(), &args, bl.timeout),
                )
            }
            _ => (
                "/boot/grub/grub.cfg",
                grub::grub_cfg(&MenuEntry {
                    title: os
                        .host_name
                        .clone()
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
            .map_err(|e| BuildError::Input(e.to_string()))?;
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
    let binary = grub::efi_binary(arch, &grub::efi_config(&search))?;
    let mut tree = Tree::new();
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
fn custom_tree(ops: &[TreeOp], opts: PopulateOptions) -> Result<Tree, BuildError> {
    let mut tree = Tree::new();
    let err = |e: ContentError| BuildError::Input(format!("initializer: {e}"));
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
            trees.push(Tree::new());
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
            Initializer::Custom(ops) => custom_tree(ops, opts)?,
            Initializer::Unknown(name) => {
                warnings.push(format!(
                    "partition {:?}: initializer {name} is not one ingot knows; the partition \
                     is left empty",
                    p.label
                ));
                Tree::new()
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
