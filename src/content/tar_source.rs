//! Loading a content tree from a tar archive: plain, or gzip/zstd/xz/bzip2-compressed (told by
//! magic bytes and decompressed into an unlinked temporary file, so nothing is left behind and
//! memory stays bounded). Member data is not copied: the tree points into the archive.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::Arc;

use super::tar_format::{display_name, Data, Member, Reader, TarError};
use super::{ContentError, FileSource, LoadPolicy, LoadReport, Meta, Node, NodeKind, Tree};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compression {
    None,
    Gzip,
    Zstd,
    Xz,
    Bzip2,
}

fn compression(file: &mut File) -> io::Result<Compression> {
    let mut magic = [0u8; 6];
    let mut n = 0;
    while n < magic.len() {
        let got = file.read(&mut magic[n..])?;
        if got == 0 {
            break;
        }
        n += got;
    }
    file.seek(SeekFrom::Start(0))?;
    let m = &magic[..n];
    Ok(if m.starts_with(&[0x1f, 0x8b]) {
        Compression::Gzip
    } else if m.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Compression::Zstd
    } else if m.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
        Compression::Xz
    } else if m.starts_with(b"BZh") {
        Compression::Bzip2
    } else {
        Compression::None
    })
}

/// The archive as an uncompressed, seekable file.
pub fn plain_archive(path: &Path) -> Result<File, ContentError> {
    let file = File::open(path).map_err(|e| ContentError::io(path, e))?;
    plain_file(file, path)
}

/// `file` itself when it is not compressed, else its decompressed bytes in an unlinked
/// temporary file. `path` names it in errors.
pub(super) fn plain_file(mut file: File, path: &Path) -> Result<File, ContentError> {
    let io = |e| ContentError::io(path, e);
    let kind = compression(&mut file).map_err(io)?;
    let input = BufReader::new(file);
    let mut decoder: Box<dyn Read> = match kind {
        Compression::None => return Ok(input.into_inner()),
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(input)),
        Compression::Zstd => Box::new(zstd::stream::read::Decoder::with_buffer(input).map_err(io)?),
        Compression::Xz => Box::new(xz2::read::XzDecoder::new_multi_decoder(input)),
        Compression::Bzip2 => Box::new(bzip2::read::MultiBzDecoder::new(input)),
    };
    let mut plain = tempfile::tempfile().map_err(io)?;
    io::copy(&mut decoder, &mut plain).map_err(|e| ContentError::Invalid {
        path: path.display().to_string(),
        reason: format!("cannot decompress it ({kind:?}): {e}"),
    })?;
    plain.seek(SeekFrom::Start(0)).map_err(io)?;
    Ok(plain)
}

/// Loads a tar archive. Entries keep their modes, owners (per policy), times, links, device
/// numbers, xattrs and ACLs; hard links become shared nodes; sparse members keep their holes.
pub fn load_tar(path: &Path, policy: LoadPolicy) -> Result<Tree, ContentError> {
    load_tar_report(path, policy).map(|(t, _)| t)
}

/// [`load_tar`], saying how many owners the policy rewrote.
pub fn load_tar_report(
    path: &Path,
    policy: LoadPolicy,
) -> Result<(Tree, LoadReport), ContentError> {
    let file = Arc::new(plain_archive(path)?);
    let mut tree = Tree::new_at(policy.clamp_mtime.unwrap_or(1));
    let mut report = LoadReport::default();
    let tar_err = |e: TarError| ContentError::Invalid {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    let mut reader = Reader::new(&file).map_err(tar_err)?;
    while let Some(member) = reader.next_member().map_err(tar_err)? {
        add_member(&mut tree, &file, member, policy, &mut report).map_err(|reason| {
            ContentError::Invalid {
                path: path.display().to_string(),
                reason,
            }
        })?;
    }
    Ok((tree, report))
}

/// A member's path inside the tree: "./a/b/" -> "a/b" (bytes, never reinterpreted).
pub(super) fn tree_path(name: &[u8]) -> &[u8] {
    let mut p = name;
    while let Some(rest) = p.strip_prefix(b"./") {
        p = rest;
    }
    while let Some(rest) = p.strip_suffix(b"/") {
        p = rest;
    }
    p
}

/// Adds one member to the tree (replacing an entry of the same name).
pub(super) fn add_member(
    tree: &mut Tree,
    file: &Arc<File>,
    m: Member,
    policy: LoadPolicy,
    report: &mut LoadReport,
) -> Result<(), String> {
    let name = display_name(&m.path);
    let mut meta = Meta::new(m.mode);
    let (uid, gid) = policy.owners.rule(false).apply(m.uid, m.gid);
    if (uid, gid) != (m.uid, m.gid) {
        report.owners_rewritten += 1;
    }
    meta.uid = uid;
    meta.gid = gid;
    meta.mtime = match policy.clamp_mtime {
        Some(max) => m.mtime.min(max),
        None => m.mtime,
    };
    meta.xattrs = m.xattrs;
    let path = tree_path(&m.path);
    let at = |e: super::ContentError| format!("{name}: {e}");
    if path.is_empty() || path == b"." {
        if m.typeflag == b'5' {
            tree.nodes[super::ROOT].meta = meta;
            return Ok(());
        }
        return Err(format!(
            "{name}: a member that is not a directory names the root"
        ));
    }
    let kind = match m.typeflag {
        b'5' | b'D' => {
            let id = tree.mkdir_p_bytes(path).map_err(at)?;
            tree.node_mut(id).meta = meta;
            return Ok(());
        }
        b'0' | 0 | b'7' => NodeKind::File {
            size: m.size,
            source: match m.data {
                Data::Contiguous(offset) => FileSource::Archive {
                    file: Arc::clone(file),
                    offset,
                },
                Data::Sparse(segments) => FileSource::Sparse {
                    file: Arc::clone(file),
                    segments: Arc::new(segments),
                },
            },
        },
        b'2' => NodeKind::Symlink(m.link),
        b'1' => {
            let target = tree_path(&m.link);
            let id = tree.lookup_bytes(target).ok_or_else(|| {
                format!(
                    "{name}: a hard link to {}, which is not earlier in the archive",
                    display_name(&m.link)
                )
            })?;
            if matches!(tree.node(id).kind, NodeKind::Dir(_)) {
                return Err(format!(
                    "{name}: a hard link to the directory {} (a directory can have only one \
                     name; such links make loops)",
                    display_name(&m.link)
                ));
            }
            return tree.link_path(path, id).map_err(at);
        }
        b'3' => NodeKind::CharDevice {
            major: m.dev_major,
            minor: m.dev_minor,
        },
        b'4' => NodeKind::BlockDevice {
            major: m.dev_major,
            minor: m.dev_minor,
        },
        b'6' => NodeKind::Fifo,
        b'V' => return Ok(()), // a GNU volume label names the archive, not a file
        other => {
            return Err(format!(
                "{name}: unsupported tar member type {:?}",
                char::from(other)
            ))
        }
    };
    tree.insert_bytes(path, Node { meta, kind }).map_err(at)?;
    Ok(())
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
            h.set_uid(1000);
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
        assert_eq!(tree.node(id).meta.uid, 1000, "an archive's owners are kept");
    }

    #[test]
    fn unknown_input_is_one_sentence() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.tar.lz4");
        std::fs::write(&p, [0x04u8, 0x22, 0x4d, 0x18, 0xff, 0x00, 0x80, 0x01]).unwrap();
        let e = load_tar(&p, LoadPolicy::default()).unwrap_err().to_string();
        assert!(
            e.ends_with("not a tar archive or a compression ingot reads"),
            "{e}"
        );
        assert!(e.is_ascii());
    }
}
