//! Loading a content tree from a tar archive (plain, or gzip-compressed: decompressed into an
//! unlinked temporary file, so nothing is left behind and memory stays bounded).

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;

use super::{ContentError, FileSource, LoadPolicy, Meta, Node, NodeKind, Tree};

fn is_gzip(file: &mut File) -> io::Result<bool> {
    let mut magic = [0u8; 2];
    let n = file.read(&mut magic)?;
    file.seek(SeekFrom::Start(0))?;
    Ok(n == 2 && magic == [0x1f, 0x8b])
}

/// Loads a tar archive. Entries keep their modes, owners (per policy), times, links and
/// device numbers; hard links in the archive become shared nodes.
pub fn load_tar(path: &Path, policy: LoadPolicy) -> Result<Tree, ContentError> {
    let io = |e| ContentError::io(path, e);
    let mut file = File::open(path).map_err(io)?;
    let archive_file = if is_gzip(&mut file).map_err(io)? {
        let mut plain = tempfile::tempfile().map_err(io)?;
        let mut gz = flate2::read::GzDecoder::new(BufReader::new(file));
        io::copy(&mut gz, &mut plain).map_err(io)?;
        plain.seek(SeekFrom::Start(0)).map_err(io)?;
        plain
    } else {
        file
    };
    let shared = Arc::new(archive_file.try_clone().map_err(io)?);
    let mut archive = tar::Archive::new(archive_file);
    let mut tree = Tree::new();
    let invalid = |reason: String| ContentError::Invalid {
        path: path.display().to_string(),
        reason,
    };
    for entry in archive.entries().map_err(io)? {
        let mut entry = entry.map_err(io)?;
        let name = entry.path_bytes().into_owned();
        let name = String::from_utf8_lossy(&name).into_owned();
        let header = entry.header().clone();
        let mode = header.mode().map_err(io)?;
        let mut meta = Meta::new(mode);
        if policy.keep_owners {
            meta.uid = header.uid().map_err(io)? as u32;
            meta.gid = header.gid().map_err(io)? as u32;
        }
        meta.mtime = header.mtime().map_err(io)? as i64;
        if let Some(max) = policy.clamp_mtime {
            meta.mtime = meta.mtime.min(max);
        }
        if let Some(exts) = entry.pax_extensions().map_err(io)? {
            for ext in exts {
                let ext = ext.map_err(io)?;
                if let Some(attr) = ext.key_bytes().strip_prefix(b"SCHILY.xattr.") {
                    meta.xattrs
                        .push((attr.to_vec(), ext.value_bytes().to_vec()));
                }
            }
            meta.xattrs.sort();
        }
        let entry_type = header.entry_type();
        let trimmed = name.trim_end_matches('/');
        if trimmed.is_empty() || trimmed == "." || trimmed == "./" {
            tree.nodes[super::ROOT].meta = meta;
            continue;
        }
        let kind = match entry_type {
            tar::EntryType::Directory => {
                let id = tree.mkdir_p(trimmed)?;
                tree.node_mut(id).meta = meta;
                continue;
            }
            tar::EntryType::Regular | tar::EntryType::Continuous => NodeKind::File {
                size: entry.size(),
                source: FileSource::Archive {
                    file: Arc::clone(&shared),
                    offset: entry.raw_file_position(),
                },
            },
            tar::EntryType::Symlink => NodeKind::Symlink(
                entry
                    .link_name_bytes()
                    .ok_or_else(|| invalid(format!("{name}: symlink without a target")))?
                    .into_owned(),
            ),
            tar::EntryType::Link => {
                let target = entry
                    .link_name_bytes()
                    .ok_or_else(|| invalid(format!("{name}: hard link without a target")))?;
                let target = String::from_utf8_lossy(&target).into_owned();
                let id = tree.lookup(&target).ok_or_else(|| {
                    invalid(format!(
                        "{name}: hard link to {target}, which is not earlier in the archive"
                    ))
                })?;
                let parts: Vec<&str> = trimmed.rsplitn(2, '/').collect();
                let (leaf, parent) = match parts.as_slice() {
                    [leaf, parent] => (*leaf, *parent),
                    [leaf] => (*leaf, ""),
                    _ => return Err(invalid(format!("{name}: bad path"))),
                };
                let dir = tree.mkdir_p(parent)?;
                tree.link(dir, leaf.as_bytes(), id)?;
                continue;
            }
            tar::EntryType::Char | tar::EntryType::Block => {
                let major = header.device_major().map_err(io)?.unwrap_or(0);
                let minor = header.device_minor().map_err(io)?.unwrap_or(0);
                if entry_type == tar::EntryType::Char {
                    NodeKind::CharDevice { major, minor }
                } else {
                    NodeKind::BlockDevice { major, minor }
                }
            }
            tar::EntryType::Fifo => NodeKind::Fifo,
            tar::EntryType::XGlobalHeader | tar::EntryType::XHeader => continue,
            other => {
                return Err(invalid(format!(
                    "{name}: unsupported tar entry type {other:?}"
                )))
            }
        };
        // Drain nothing: data is read later by offset. Skip the entry body.
        let _ = &mut entry;
        tree.insert(trimmed, Node { meta, kind })?;
    }
    Ok(tree)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::open_source;

    #[test]
    fn reads_gzip_tar_members() {
        let dir = tempfile::tempdir().unwrap();
        let tar_path = dir.path().join("root.tar.gz");
        {
            let gz = flate2::write::GzEncoder::new(
                File::create(&tar_path).unwrap(),
                flate2::Compression::fast(),
            );
            let mut b = tar::Builder::new(gz);
            let mut h = tar::Header::new_gnu();
            h.set_size(5);
            h.set_mode(0o640);
            h.set_entry_type(tar::EntryType::Regular);
            b.append_data(&mut h, "etc/motd", &b"hello"[..]).unwrap();
            b.into_inner().unwrap().finish().unwrap();
        }
        let tree = load_tar(&tar_path, LoadPolicy::default()).unwrap();
        let id = tree.lookup("/etc/motd").unwrap();
        let (src, size) = tree.file_source(id).unwrap();
        let mut s = String::new();
        open_source(src, size)
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        assert_eq!(s, "hello");
        assert_eq!(tree.node(id).meta.mode, 0o640);
    }
}
