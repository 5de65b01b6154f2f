//! The e2fsprogs backend: `mke2fs -d` on a private copy of the tree, then debugfs to set what
//! mke2fs copies from the host (owners, change/access times, device nodes, extended
//! attributes), then a sparse copy into the target.
//!
//! Kept as an oracle for the native writer and as a fallback. Limits: names containing a
//! newline cannot be passed to debugfs; directories are not hash-indexed (Guix runs
//! `e2fsck -fD` for that).

use std::ffi::{CString, OsStr};
use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{self, Read};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use super::options::{Features, COMPAT_HAS_JOURNAL};
use super::{ExtError, ExtParams, Resolved};
use crate::content::{self, NodeKind, Tree, ROOT};
use crate::disk::Target;
use crate::fileio;

/// Debian 12's mke2fs.conf, pinned so that the host's configuration cannot change the image.
const MKE2FS_CONF: &str = "[defaults]
\tbase_features = sparse_super,large_file,filetype,resize_inode,dir_index,ext_attr
\tdefault_mntopts = acl,user_xattr
\tenable_periodic_fsck = 0
\tblocksize = 4096
\tinode_size = 256
\tinode_ratio = 16384

[fs_types]
\text3 = {
\t\tfeatures = has_journal
\t}
\text4 = {
\t\tfeatures = has_journal,extent,huge_file,flex_bg,metadata_csum,64bit,dir_nlink,extra_isize
\t}
\tsmall = {
\t\tblocksize = 1024
\t\tinode_ratio = 4096
\t}
\tfloppy = {
\t\tblocksize = 1024
\t\tinode_ratio = 8192
\t}
\tbig = {
\t\tinode_ratio = 32768
\t}
\thuge = {
\t\tinode_ratio = 65536
\t}
\tnews = {
\t\tinode_ratio = 4096
\t}
\tlargefile = {
\t\tinode_ratio = 1048576
\t\tblocksize = -1
\t}
\tlargefile4 = {
\t\tinode_ratio = 4194304
\t\tblocksize = -1
\t}
\thurd = {
\t     blocksize = 4096
\t     inode_size = 128
\t     warn_y2038_dates = 0
\t}
";

fn temp_err(e: io::Error) -> ExtError {
    ExtError::Temp(e)
}

fn at(path: &Path) -> impl Fn(io::Error) -> ExtError + '_ {
    move |e| ExtError::Temp(io::Error::new(e.kind(), format!("{}: {e}", path.display())))
}

/// Quotes a path for debugfs' command parser (double quotes, `""` for a quote).
fn quote(path: &str) -> Result<String, ExtError> {
    if path.contains('\n') || path.contains('\0') {
        return Err(ExtError::Unsupported {
            what: format!("the name {path:?} (it contains a newline)"),
            backend: "mke2fs",
            hint: "use the native backend".into(),
        });
    }
    Ok(format!("\"{}\"", path.replace('"', "\"\"")))
}

fn type_bits(kind: &NodeKind) -> u32 {
    match kind {
        NodeKind::Dir(_) => 0o040000,
        NodeKind::File { .. } => 0o100000,
        NodeKind::Symlink(_) => 0o120000,
        NodeKind::CharDevice { .. } => 0o020000,
        NodeKind::BlockDevice { .. } => 0o060000,
        NodeKind::Fifo => 0o010000,
        NodeKind::Socket => 0o140000,
    }
}

pub(super) fn write(
    target: &dyn Target,
    tree: &Tree,
    params: &ExtParams,
    resolved: &Resolved,
    scratch: &Path,
) -> Result<(), ExtError> {
    let work = tempfile::Builder::new()
        .prefix("ingot-mke2fs-")
        .tempdir_in(scratch)
        .map_err(temp_err)?;
    let root = work.path().join("root");
    let image = work.path().join("fs.img");
    let conf = work.path().join("mke2fs.conf");
    fs::write(&conf, MKE2FS_CONF).map_err(at(&conf))?;

    let plan = materialize(tree, &root, work.path())?;
    File::create(&image)
        .and_then(|f| f.set_len(target.len()))
        .map_err(at(&image))?;
    run_mke2fs(tree, target.len(), params, resolved, &root, &image, &conf)?;
    let commands = fix_commands(
        tree,
        resolved.options.root_owner,
        &plan,
        params.timestamp,
        work.path(),
    )?;
    let cmd_file = work.path().join("fix.debugfs");
    fs::write(&cmd_file, commands).map_err(at(&cmd_file))?;
    run_tool(
        Command::new("debugfs")
            .arg("-w")
            .arg("-f")
            .arg(&cmd_file)
            .arg(&image)
            .env("E2FSPROGS_FAKE_TIME", params.timestamp.to_string()),
        "debugfs",
    )?;
    copy_sparse(&image, target)
}

/// A size mke2fs can fill: the native minimum plus what mke2fs adds on top, GDT blocks
/// reserved for online growth (resize_inode) in every backup group and some slack for its
/// different packing.
pub(super) fn min_size(
    tree: &Tree,
    params: &ExtParams,
    resolved: &Resolved,
) -> Result<u64, ExtError> {
    let native = super::native::min_size(tree, params, resolved)?;
    let o = &resolved.options;
    let bs = u64::from(super::geometry::block_size_for(o, native));
    let blocks = native / bs;
    let bpg = u64::from(o.blocks_per_group.map(u64::from).unwrap_or(bs * 8) as u32);
    let groups = blocks.div_ceil(bpg);
    let desc = if o.features.has_incompat(super::options::INCOMPAT_64BIT) {
        64
    } else {
        32
    };
    let per_block = bs / desc;
    let grown_groups = (blocks * 1024).min(u64::from(u32::MAX)).div_ceil(bpg);
    let rsv = (grown_groups.div_ceil(per_block) - groups.div_ceil(per_block)).min(bs / 4);
    let backups = (0..groups)
        .filter(|g| super::geometry::has_super(*g, &o.features))
        .count() as u64;
    let extra = (rsv * backups + 1) * bs + native / 50;
    Ok((native + extra).next_multiple_of(bs))
}

/// Where each node was put in the private copy, and what the host made of it.
struct Materialized {
    /// First path of each reachable node ("/a/b"), `None` when unreachable.
    paths: Vec<Option<String>>,
    /// Mode bits and owner the host copy ended up with (what mke2fs copies).
    host: Vec<Option<(u32, u32, u32)>>,
    /// Extended attributes the host copy carries (mke2fs copies those too).
    host_xattrs: Vec<content::Xattrs>,
}

fn materialize(tree: &Tree, root: &Path, work: &Path) -> Result<Materialized, ExtError> {
    let n = tree.len();
    let mut m = Materialized {
        paths: vec![None; n],
        host: vec![None; n],
        host_xattrs: vec![Vec::new(); n],
    };
    fs::create_dir(root).map_err(at(root))?;
    m.paths[ROOT] = Some(String::new());
    let mut socket_seq = 0u32;
    for (path, id) in tree.walk() {
        if id == ROOT {
            continue;
        }
        let host = root.join(OsStr::from_bytes(path.trim_start_matches('/').as_bytes()));
        if let Some(first) = &m.paths[id] {
            if !matches!(
                tree.node(id).kind,
                NodeKind::CharDevice { .. } | NodeKind::BlockDevice { .. }
            ) {
                let first_host = root.join(first.trim_start_matches('/'));
                fs::hard_link(&first_host, &host).map_err(at(&host))?;
            }
            continue;
        }
        m.paths[id] = Some(path.clone());
        match &tree.node(id).kind {
            NodeKind::Dir(_) => fs::create_dir(&host).map_err(at(&host))?,
            NodeKind::File { size, source } => copy_file(source, *size, &host, &path)?,
            NodeKind::Symlink(target) => {
                std::os::unix::fs::symlink(OsStr::from_bytes(target), &host).map_err(at(&host))?
            }
            // Device nodes are made by debugfs (mknod needs privileges on the host).
            NodeKind::CharDevice { .. } | NodeKind::BlockDevice { .. } => {}
            NodeKind::Fifo => {
                let c = CString::new(host.as_os_str().as_bytes()).map_err(|_| nul_err(&path))?;
                // SAFETY: c is a valid C string.
                if unsafe { libc::mkfifo(c.as_ptr(), 0o600) } != 0 {
                    return Err(at(&host)(io::Error::last_os_error()));
                }
            }
            NodeKind::Socket => {
                // Socket paths are limited to ~108 bytes: bind short, then move into place.
                socket_seq += 1;
                let short = work.join(format!("s{socket_seq}"));
                drop(std::os::unix::net::UnixListener::bind(&short).map_err(at(&short))?);
                fs::rename(&short, &host).map_err(at(&host))?;
            }
        }
    }
    // Modes and times last: a read-only directory must first receive its entries. The copy
    // stays readable by us (mke2fs runs unprivileged); debugfs sets the exact mode later.
    for (id, path) in m.paths.iter().enumerate() {
        let Some(path) = path else { continue };
        let node = tree.node(id);
        if matches!(
            node.kind,
            NodeKind::CharDevice { .. } | NodeKind::BlockDevice { .. }
        ) {
            continue;
        }
        let host = root.join(path.trim_start_matches('/'));
        if !matches!(node.kind, NodeKind::Symlink(_)) {
            let owner_bits = if matches!(node.kind, NodeKind::Dir(_)) {
                0o700
            } else {
                0o600
            };
            fs::set_permissions(
                &host,
                fs::Permissions::from_mode(node.meta.mode | owner_bits),
            )
            .map_err(at(&host))?;
        }
        let md = fs::symlink_metadata(&host).map_err(at(&host))?;
        m.host[id] = Some((md.mode() & 0o7777, md.uid(), md.gid()));
        m.host_xattrs[id] = content::read_xattrs(&host).map_err(|e| ExtError::Content {
            path: host.display().to_string(),
            reason: e.to_string(),
        })?;
    }
    Ok(m)
}

fn nul_err(path: &str) -> ExtError {
    ExtError::Content {
        path: path.to_string(),
        reason: "the name contains a NUL byte".into(),
    }
}

/// Copies a file's data, keeping the source's holes.
fn copy_file(
    source: &content::FileSource,
    size: u64,
    host: &Path,
    path: &str,
) -> Result<(), ExtError> {
    let read_err = |e: io::Error| ExtError::Read {
        path: path.to_string(),
        source: e,
    };
    let out = File::create(host).map_err(at(host))?;
    let ranges = content::data_ranges(source, size).map_err(read_err)?;
    let mut reader = content::open_source(source, size).map_err(read_err)?;
    let mut buf = vec![0u8; 1 << 20];
    let mut pos = 0u64;
    for (start, end) in ranges {
        // Skip the hole by reading past it (sources are sequential readers).
        while pos < start {
            let n = ((start - pos) as usize).min(buf.len());
            reader.read_exact(&mut buf[..n]).map_err(read_err)?;
            pos += n as u64;
        }
        while pos < end {
            let n = ((end - pos) as usize).min(buf.len());
            reader.read_exact(&mut buf[..n]).map_err(read_err)?;
            out.write_all_at(&buf[..n], pos).map_err(at(host))?;
            pos += n as u64;
        }
    }
    out.set_len(size).map_err(at(host))
}

fn run_tool(cmd: &mut Command, tool: &str) -> Result<String, ExtError> {
    let out = crate::child::output(cmd).map_err(|e| ExtError::Tool {
        tool: tool.to_string(),
        detail: format!("cannot run it ({e}); install e2fsprogs"),
    })?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    // debugfs reports failed commands on stderr but exits 0; its banner is the only
    // harmless line there.
    let complaints: Vec<&str> = stderr
        .lines()
        .filter(|l| {
            !l.trim().is_empty() && !l.starts_with("debugfs 1.") && !l.starts_with("mke2fs 1.")
        })
        .collect();
    if !out.status.success() || (tool == "debugfs" && !complaints.is_empty()) {
        return Err(ExtError::Tool {
            tool: tool.to_string(),
            detail: format!("failed ({}): {}", out.status, complaints.join("; ")),
        });
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn run_mke2fs(
    tree: &Tree,
    image_len: u64,
    params: &ExtParams,
    resolved: &Resolved,
    root: &Path,
    image: &Path,
    conf: &Path,
) -> Result<(), ExtError> {
    let o = &resolved.options;
    let mut cmd = Command::new("mke2fs");
    cmd.env("E2FSPROGS_FAKE_TIME", params.timestamp.to_string())
        .env("MKE2FS_CONFIG", conf)
        .args(["-q", "-F", "-t", params.kind.as_str()])
        .arg("-L")
        .arg(&resolved.label)
        .arg("-U")
        .arg(resolved.uuid.to_string());
    let (uid, gid) = o.root_owner.unwrap_or((0, 0));
    let mut extended = vec![
        format!("root_owner={uid}:{gid}"),
        format!("hash_seed={}", resolved.hash_seed),
    ];
    if let Some(s) = o.stride {
        extended.push(format!("stride={s}"));
    }
    if let Some(s) = o.stripe_width {
        extended.push(format!("stripe_width={s}"));
    }
    if o.test_fs {
        extended.push("test_fs".into());
    }
    extended.extend(o.passthrough_extended.iter().cloned());
    cmd.arg("-E").arg(extended.join(","));
    for edit in &o.feature_edits {
        cmd.arg("-O").arg(edit);
    }
    if o.features.has_compat(COMPAT_HAS_JOURNAL)
        && !Features::defaults(params.kind).has_compat(COMPAT_HAS_JOURNAL)
    {
        cmd.arg("-j");
    }
    let mut num = |flag: &str, v: Option<String>| {
        if let Some(v) = v {
            cmd.arg(flag).arg(v);
        }
    };
    num("-b", o.block_size.map(|v| v.to_string()));
    num("-I", o.inode_size.map(|v| v.to_string()));
    // mke2fs' default inode count may be short for a tree of many small files: ask for
    // what the tree needs then (the native writer does the same).
    let needed = tree.link_counts().iter().filter(|c| **c > 0).count() as u64 + 16;
    let ratio = o.usage(image_len).inode_ratio.unwrap_or(16384);
    let inode_count = match (o.inode_count, o.inode_ratio) {
        (None, None) if image_len / ratio < needed => Some(needed),
        (n, _) => n,
    };
    num("-N", inode_count.map(|v| v.to_string()));
    num("-i", o.inode_ratio.map(|v| v.to_string()));
    num("-m", o.reserved_percent.map(|v| v.to_string()));
    num("-g", o.blocks_per_group.map(|v| v.to_string()));
    num("-G", o.flex_size.map(|v| v.to_string()));
    num("-J", o.journal_mib.map(|v| format!("size={v}")));
    num("-T", o.usage_types.clone());
    num(
        "-e",
        o.errors.map(|e| {
            match e {
                1 => "continue",
                2 => "remount-ro",
                _ => "panic",
            }
            .to_string()
        }),
    );
    num("-M", o.last_mounted.clone());
    cmd.arg("-d").arg(root).arg(image);
    run_tool(&mut cmd, "mke2fs").map_err(|e| match e {
        ExtError::Tool { tool, detail }
            if detail.contains("Could not allocate block")
                || detail.contains("No free space")
                || detail.contains("Could not allocate inode") =>
        {
            ExtError::Tool {
                tool,
                detail: format!("{detail} (the partition is too small for the tree)"),
            }
        }
        e => e,
    })?;
    Ok(())
}

/// debugfs commands that make every inode match the tree.
fn fix_commands(
    tree: &Tree,
    resolved_root_owner: Option<(u32, u32)>,
    m: &Materialized,
    timestamp: i64,
    work: &Path,
) -> Result<String, ExtError> {
    let mut cmds = String::new();
    let counts = tree.link_counts();
    let ts = format!("@{timestamp}");
    let mut value_seq = 0u32;
    for (path, id) in tree.walk() {
        let node = tree.node(id);
        let first = m.paths[id].as_deref().unwrap_or("");
        let p = quote(if path == "/" { "/" } else { &path })?;
        let is_device = matches!(
            node.kind,
            NodeKind::CharDevice { .. } | NodeKind::BlockDevice { .. }
        );
        if first != path && !(id == ROOT && path == "/") {
            // A further hard link: regular links exist already, device links are added here.
            if is_device {
                writeln!(cmds, "ln {} {p}", quote(first)?).ok();
            }
            continue;
        }
        let device = match node.kind {
            NodeKind::CharDevice { major, minor } => Some(('c', major, minor)),
            NodeKind::BlockDevice { major, minor } => Some(('b', major, minor)),
            _ => None,
        };
        if let Some((c, major, minor)) = device {
            // debugfs' mknod takes a name in the current directory, not a path.
            let (parent, name) = path.rsplit_once('/').unwrap_or(("", &path));
            let parent = if parent.is_empty() { "/" } else { parent };
            writeln!(cmds, "cd {}", quote(parent)?).ok();
            // debugfs' mknod takes numbers below 65536 only: set the encoded number after.
            writeln!(cmds, "mknod {} {c} 0 0", quote(name)?).ok();
            writeln!(cmds, "cd /").ok();
            let (old, new) = if major < 256 && minor < 256 {
                ((major << 8) | minor, 0)
            } else {
                (0, (minor & 0xff) | (major << 8) | ((minor & !0xff) << 12))
            };
            writeln!(cmds, "sif {p} block[0] {old}").ok();
            writeln!(cmds, "sif {p} block[1] {new}").ok();
        }
        let want_mode = type_bits(&node.kind) | node.meta.mode;
        let (want_uid, want_gid) = match resolved_root_owner {
            Some(owner) if id == ROOT => owner,
            _ => (node.meta.uid, node.meta.gid),
        };
        let host = m.host[id];
        if id == ROOT || is_device || host.map(|h| h.0) != Some(node.meta.mode) {
            writeln!(cmds, "sif {p} mode 0{want_mode:o}").ok();
        }
        if id == ROOT || is_device || host.map(|h| h.1) != Some(want_uid) {
            writeln!(cmds, "sif {p} uid {want_uid}").ok();
        }
        if id == ROOT || is_device || host.map(|h| h.2) != Some(want_gid) {
            writeln!(cmds, "sif {p} gid {want_gid}").ok();
        }
        writeln!(cmds, "sif {p} mtime @{}", node.meta.mtime).ok();
        writeln!(cmds, "sif {p} atime {ts}").ok();
        writeln!(cmds, "sif {p} ctime {ts}").ok();
        writeln!(cmds, "sif {p} crtime {ts}").ok();
        if is_device && counts[id] > 1 {
            writeln!(cmds, "sif {p} links_count {}", counts[id]).ok();
        }
        for (name, value) in &m.host_xattrs[id] {
            if !node.meta.xattrs.iter().any(|(n, _)| n == name) {
                writeln!(cmds, "ea_rm {p} {}", quote(&String::from_utf8_lossy(name))?).ok();
            }
            let _ = value;
        }
        for (name, value) in &node.meta.xattrs {
            if m.host_xattrs[id]
                .iter()
                .any(|(n, v)| n == name && v == value)
            {
                continue;
            }
            value_seq += 1;
            let file: PathBuf = work.join(format!("xattr-{value_seq}"));
            fs::write(&file, value).map_err(at(&file))?;
            let name = std::str::from_utf8(name).map_err(|_| ExtError::Content {
                path: path.clone(),
                reason: "an extended attribute name is not UTF-8".into(),
            })?;
            writeln!(
                cmds,
                "ea_set -f {} {p} {}",
                quote(&file.display().to_string())?,
                quote(name)?
            )
            .ok();
        }
    }
    // mke2fs' own lost+found carries the fake time already; nothing else is left to fix.
    Ok(cmds)
}

/// Copies the finished image into the target, skipping holes and all-zero blocks.
fn copy_sparse(image: &Path, target: &dyn Target) -> Result<(), ExtError> {
    let file = File::open(image).map_err(at(image))?;
    let len = file.metadata().map_err(at(image))?.len().min(target.len());
    // Progress: the bytes of the image gone through, written or skipped as zeros.
    let progress = target.progress();
    progress.add_total(len);
    let done = std::cell::Cell::new(0u64);
    let reached = |end: u64| {
        let before = done.replace(end.max(done.get()));
        progress.advance(end.saturating_sub(before));
    };
    fileio::copy_sparse(&file, len, 4096, |bytes, offset| {
        target
            .write_at(bytes, offset)
            .map_err(|source| ExtError::Write { offset, source })?;
        reached(offset + bytes.len() as u64);
        Ok(())
    })
    .inspect(|_| reached(len))
    .map_err(|e| match e {
        fileio::CopyError::Write(e) => e,
        fileio::CopyError::Read(e) => at(image)(e),
        fileio::CopyError::Changed { expected, got } => {
            at(image)(fileio::ended_early(expected, got))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_for_debugfs() {
        assert_eq!(quote("/a b/c\"d").unwrap(), "\"/a b/c\"\"d\"");
        assert!(quote("/a\nb").is_err());
    }
}
