//! Which kernel and initrd an image boots. A path in the definition is looked up in the root
//! tree first (symlinks resolved inside the tree, as the booted system will see them); only a
//! `(local-file …)`, a relative path, or an absolute path the tree lacks reads a host file.
//! With no kernel field, the newest `/boot` kernel by version order; with no initrd field, the
//! `/boot` initrd of the same version, else none: never a mismatched pair.

use std::cmp::Ordering;
use std::fmt;
use std::path::PathBuf;

use crate::content::{NodeId, NodeKind, Tree, ROOT};
use crate::model::{self, FileRef, SourceLoc};

use super::BuildError;

/// Where a boot file's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Already in the root tree.
    Tree,
    /// Read from the build host and put at the file's path in the image.
    Host(PathBuf),
}

/// How the file was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// Named by the operating-system's field.
    Field,
    /// The newest kernel in /boot (no kernel field).
    Newest,
    /// The /boot initrd of the kernel's version (no initrd field).
    Matching,
}

/// One kernel or initrd the image boots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BootFile {
    /// The path inside the image (what grub.cfg names), symlinks resolved.
    pub path: String,
    pub origin: Origin,
    pub choice: Choice,
}

/// The pair the image boots, and what could not be found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BootFiles {
    pub kernel: Option<BootFile>,
    pub initrd: Option<BootFile>,
    /// Why there is no initrd, when a kernel was found without one.
    pub no_initrd: Option<String>,
    /// Why there is no kernel when the operating system's kernel field gave one ingot cannot
    /// use (a package, a path found nowhere); `None`: there is no kernel field.
    pub no_kernel: Option<String>,
}

impl fmt::Display for BootFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.origin {
            Origin::Host(host) => write!(f, "host file {} (as {})", host.display(), self.path),
            Origin::Tree => {
                let how = match self.choice {
                    Choice::Field => "root tree",
                    Choice::Newest => "root tree, the newest in /boot",
                    Choice::Matching => "root tree, the kernel's version",
                };
                write!(f, "{} ({how})", self.path)
            }
        }
    }
}

impl BootFiles {
    /// Two lines for a build summary or `show`: "kernel: …" and "initrd: …".
    pub fn summary(&self) -> Vec<String> {
        let kernel = match &self.kernel {
            Some(k) => format!("kernel: {k}"),
            None => match &self.no_kernel {
                Some(why) => format!("kernel: none found ({why})"),
                None => {
                    "kernel: none found (no kernel field and no /boot/vmlinuz-* in the root tree)"
                        .to_string()
                }
            },
        };
        let initrd = match (&self.initrd, &self.no_initrd) {
            (Some(i), _) => format!("initrd: {i}"),
            (None, Some(why)) => format!("initrd: none ({why})"),
            (None, None) => "initrd: none".to_string(),
        };
        vec![kernel, initrd]
    }
}

/// Kernel names in /boot: a family, optionally followed by "-VERSION".
const KERNEL_FAMILIES: &[&str] = &["vmlinuz", "vmlinux", "bzImage", "zImage", "Image", "kernel"];
/// Initrd names: a prefix, then "-VERSION" with an optional ".img"/compression suffix
/// (initrd.img-V, initramfs-V.img, initrd-V), or no version (initrd.img, initrd.gz).
const INITRD_PREFIXES: &[&str] = &["initrd.img", "initramfs", "initrd"];
const INITRD_SUFFIXES: &[&str] = &[".img", ".gz", ".cpio.gz", ".zst", ".xz", ".lz4"];

/// The version of a kernel file name: Some("") when unversioned, None when not a kernel.
pub fn kernel_version(name: &str) -> Option<&str> {
    KERNEL_FAMILIES.iter().find_map(|fam| {
        let rest = name.strip_prefix(fam)?;
        if rest.is_empty() {
            Some("")
        } else {
            rest.strip_prefix('-').filter(|v| !v.is_empty())
        }
    })
}

/// The version of an initrd file name: Some("") when unversioned, None when not an initrd.
pub fn initrd_version(name: &str) -> Option<&str> {
    // Longest prefix first: "initrd.img-V" must not parse as "initrd" + ".img-V".
    let rest = INITRD_PREFIXES.iter().find_map(|p| name.strip_prefix(p))?;
    if let Some(v) = rest.strip_prefix('-') {
        let v = INITRD_SUFFIXES
            .iter()
            .find_map(|s| v.strip_suffix(s))
            .unwrap_or(v);
        return (!v.is_empty()).then_some(v);
    }
    (rest.is_empty() || INITRD_SUFFIXES.contains(&rest)).then_some("")
}

/// dpkg's version order (verrevcmp) applied to whole strings: runs of non-digits compare with
/// letters before non-letters and '~' before everything, runs of digits compare numerically,
/// so 6.1.0-10 > 6.1.0-9 and 6.1.0-rc1 style suffixes sort as Debian sorts them.
pub fn compare_versions(a: &str, b: &str) -> Ordering {
    fn weight(c: Option<u8>) -> i32 {
        match c {
            None => 0,
            Some(b'~') => -1,
            Some(c) if c.is_ascii_digit() => 0,
            Some(c) if c.is_ascii_alphabetic() => i32::from(c),
            Some(c) => i32::from(c) + 256,
        }
    }
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        // The non-digit run.
        while (i < a.len() && !a[i].is_ascii_digit()) || (j < b.len() && !b[j].is_ascii_digit()) {
            let (wa, wb) = (weight(a.get(i).copied()), weight(b.get(j).copied()));
            if wa != wb {
                return wa.cmp(&wb);
            }
            i += 1;
            j += 1;
        }
        // The digit run: skip leading zeros, then the longer number is larger.
        while a.get(i) == Some(&b'0') {
            i += 1;
        }
        while b.get(j) == Some(&b'0') {
            j += 1;
        }
        let mut first_diff = Ordering::Equal;
        while a.get(i).is_some_and(u8::is_ascii_digit) && b.get(j).is_some_and(u8::is_ascii_digit) {
            if first_diff == Ordering::Equal {
                first_diff = a[i].cmp(&b[j]);
            }
            i += 1;
            j += 1;
        }
        if a.get(i).is_some_and(u8::is_ascii_digit) {
            return Ordering::Greater;
        }
        if b.get(j).is_some_and(u8::is_ascii_digit) {
            return Ordering::Less;
        }
        if first_diff != Ordering::Equal {
            return first_diff;
        }
    }
    Ordering::Equal
}

/// Symlinks followed per lookup before giving up (Linux's own limit).
const MAX_SYMLINKS: usize = 40;

/// What a path names inside the tree, with every symlink resolved inside it: an absolute
/// target is taken from the tree's root and ".." never climbs above it, as in a chroot.
/// Returns the canonical path and the node, or None when a component is missing, a loop, or
/// not a directory.
pub fn resolve(tree: &Tree, path: &str) -> Option<(String, NodeId)> {
    let mut pending: Vec<Vec<u8>> = components(path.as_bytes()).rev().collect();
    // (name, node) from the root down to the current directory.
    let mut stack: Vec<(Vec<u8>, NodeId)> = Vec::new();
    let mut followed = 0;
    while let Some(name) = pending.pop() {
        let current = stack.last().map_or(ROOT, |(_, id)| *id);
        if name == b".." {
            stack.pop();
            continue;
        }
        let id = tree.lookup_in(current, &name)?;
        match &tree.node(id).kind {
            NodeKind::Symlink(target) => {
                followed += 1;
                if followed > MAX_SYMLINKS {
                    return None;
                }
                if target.first() == Some(&b'/') {
                    stack.clear();
                }
                pending.extend(components(target).rev());
            }
            _ => stack.push((name, id)),
        }
        // Everything but the last component must be a directory.
        if !pending.is_empty() {
            let dir = stack.last().map_or(ROOT, |(_, id)| *id);
            if !matches!(tree.node(dir).kind, NodeKind::Dir(_)) {
                return None;
            }
        }
    }
    let id = stack.last().map_or(ROOT, |(_, id)| *id);
    let mut canonical = String::new();
    for (name, _) in &stack {
        canonical.push('/');
        canonical.push_str(std::str::from_utf8(name).ok()?);
    }
    if canonical.is_empty() {
        canonical.push('/');
    }
    Some((canonical, id))
}

fn components(path: &[u8]) -> impl DoubleEndedIterator<Item = Vec<u8>> + '_ {
    path.split(|b| *b == b'/')
        .filter(|c| !c.is_empty() && *c != b".")
        .map(<[u8]>::to_vec)
}

fn is_regular(tree: &Tree, id: NodeId) -> bool {
    matches!(tree.node(id).kind, NodeKind::File { .. })
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The regular files of /boot (symlinks resolved in the tree) whose names `version` parses:
/// (canonical path, version), newest version first.
fn boot_candidates(tree: &Tree, version: fn(&str) -> Option<&str>) -> Vec<(String, String)> {
    let Some((_, boot)) = resolve(tree, "/boot") else {
        return Vec::new();
    };
    let mut found: Vec<(String, String)> = tree
        .children(boot)
        .iter()
        .filter_map(|(name, _)| {
            let name = std::str::from_utf8(name).ok()?;
            let v = version(name)?.to_string();
            let (path, id) = resolve(tree, &format!("/boot/{name}"))?;
            is_regular(tree, id).then_some((path, v))
        })
        .collect();
    // Versioned names before unversioned ones (a plain /boot/vmlinuz is a fallback), then
    // newest first; the path breaks ties so the choice never depends on directory order.
    found.sort_by(|(pa, va), (pb, vb)| {
        va.is_empty()
            .cmp(&vb.is_empty())
            .then_with(|| compare_versions(vb, va))
            .then_with(|| pa.cmp(pb))
    });
    found.dedup_by(|a, b| a.0 == b.0);
    found
}

/// Resolves a kernel or initrd field: the tree first, then the host.
/// Errors name the operating-system's field, at `os_location`.
fn from_field(
    tree: &Tree,
    file: &FileRef,
    what: &str,
    os_location: Option<&SourceLoc>,
) -> Result<BootFile, BuildError> {
    let input = |message: String| {
        BuildError::Input(model::at_field(
            os_location,
            "operating-system",
            what,
            &message,
        ))
    };
    let host_file = |host: &std::path::Path| -> Result<BootFile, BuildError> {
        let name = host
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| input(format!("{}: not a file", host.display())))?;
        Ok(BootFile {
            path: format!("/boot/{name}"),
            origin: Origin::Host(host.to_path_buf()),
            choice: Choice::Field,
        })
    };
    match file {
        FileRef::Host(host) => host_file(host),
        FileRef::InRoot(path) => {
            if let Some((canonical, id)) = resolve(tree, path) {
                if !is_regular(tree, id) {
                    return Err(input(format!(
                        "{path}: {canonical} in the root tree is not a regular file"
                    )));
                }
                return Ok(BootFile {
                    path: canonical,
                    origin: Origin::Tree,
                    choice: Choice::Field,
                });
            }
            // A name the tree has but cannot resolve (a dangling symlink) is the tree's
            // mistake: taking the build host's file instead would boot a foreign kernel.
            if tree.lookup(path).is_some() || lookup_prefix_symlink(tree, path) {
                return Err(input(format!(
                    "{path}: in the root tree, but its symlink leads to nothing inside the \
                     tree (the build host's file is not taken in its place)"
                )));
            }
            let host = std::path::Path::new(path);
            if host.is_file() {
                return host_file(host);
            }
            Err(input(format!(
                "{path} is neither in the root tree nor a file on this host"
            )))
        }
    }
}

/// Whether some leading part of `path` is a symlink in the tree (then the path is the tree's).
fn lookup_prefix_symlink(tree: &Tree, path: &str) -> bool {
    let mut id = ROOT;
    for part in components(path.as_bytes()) {
        let Some(next) = tree.lookup_in(id, &part) else {
            return false;
        };
        if matches!(tree.node(next).kind, NodeKind::Symlink(_)) {
            return true;
        }
        id = next;
    }
    false
}

/// The file name a boot file had where it came from (a host file keeps its own name).
fn source_name(file: &BootFile) -> String {
    match &file.origin {
        Origin::Host(host) => host
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string(),
        Origin::Tree => file_name(&file.path).to_string(),
    }
}

/// Chooses the kernel and initrd; returns them and warnings.
pub fn choose(
    tree: &Tree,
    kernel: Option<&FileRef>,
    initrd: Option<&FileRef>,
    os_location: Option<&SourceLoc>,
) -> Result<(BootFiles, Vec<String>), BuildError> {
    let mut warnings = Vec::new();
    let kernel = match kernel {
        Some(k) => Some(from_field(tree, k, "kernel", os_location)?),
        None => boot_candidates(tree, kernel_version)
            .into_iter()
            .next()
            .map(|(path, _)| BootFile {
                path,
                origin: Origin::Tree,
                choice: Choice::Newest,
            }),
    };
    let mut no_initrd = None;
    let initrd = match (initrd, &kernel) {
        (Some(i), _) => {
            let file = from_field(tree, i, "initrd", os_location)?;
            if let Some(k) = &kernel {
                let kv = kernel_version(&source_name(k))
                    .unwrap_or_default()
                    .to_string();
                let iv = initrd_version(&source_name(&file))
                    .unwrap_or_default()
                    .to_string();
                if !kv.is_empty() && !iv.is_empty() && kv != iv {
                    warnings.push(format!(
                        "the initrd {} is for version {iv}, the kernel {} is {kv}",
                        file.path, k.path
                    ));
                }
            }
            Some(file)
        }
        (None, Some(k)) => {
            let want = kernel_version(&source_name(k))
                .unwrap_or_default()
                .to_string();
            let found = boot_candidates(tree, initrd_version)
                .into_iter()
                .find(|(_, v)| *v == want);
            if found.is_none() {
                no_initrd = Some(if want.is_empty() {
                    "no unversioned /boot/initrd.img or /boot/initrd in the root tree".into()
                } else {
                    format!(
                        "no /boot/initrd.img-{want} or /boot/initramfs-{want}.img in the root tree"
                    )
                });
            }
            found.map(|(path, _)| BootFile {
                path,
                origin: Origin::Tree,
                choice: Choice::Matching,
            })
        }
        (None, None) => None,
    };
    Ok((
        BootFiles {
            kernel,
            initrd,
            no_initrd,
            no_kernel: None,
        },
        warnings,
    ))
}

/// Puts the host files of `files` into the tree at their paths.
/// Errors name the operating-system's field, at `os_location`.
pub fn place(
    tree: &mut Tree,
    files: &BootFiles,
    os_location: Option<&SourceLoc>,
) -> Result<(), BuildError> {
    for (file, what) in [(&files.kernel, "kernel"), (&files.initrd, "initrd")] {
        if let Some(BootFile {
            path,
            origin: Origin::Host(host),
            ..
        }) = file
        {
            tree.add_host_file(path, host, Some(0o644)).map_err(|e| {
                BuildError::Input(model::at_field(
                    os_location,
                    "operating-system",
                    what,
                    &e.to_string(),
                ))
            })?;
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "boot_files_tests.rs"]
mod tests;
