//! Reading an existing file back, for `ingot inspect`: a disk image (MBR/GPT and what each
//! partition holds), an ISO 9660 image (volume id, El Torito entries), a qcow2 (its virtual
//! size, then the disk inside through `qemu-img`), a docker/OCI archive or tarball (layers,
//! digests, entry counts), or a bare file system. Anything else is an error: inspect never
//! describes a text file as an empty disk.

mod archive;
pub(crate) mod bytes;
mod iso;
mod probe;
mod table;

pub use archive::{ArchiveInfo, Layer};
pub use iso::{BootEntry, IsoInfo};
pub use probe::FoundFs;
pub use table::FoundPartition;

use std::fs::File;
use std::io;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use bytes::{be32, be64, field, human, read};

#[derive(Debug, thiserror::Error)]
pub enum InspectError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{path}: not a disk image, ISO, qcow2 or archive ({what})")]
    Unrecognised { path: PathBuf, what: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Qcow2Info {
    pub version: u64,
    pub virtual_size: u64,
    pub virtual_size_human: String,
    pub cluster_size: u64,
    /// "zlib" or "zstd".
    pub compression: &'static str,
    /// The disk inside, read through `qemu-img convert` (None when it is not installed).
    pub disk: Option<Box<Inspection>>,
    /// Why the disk inside could not be read.
    pub disk_error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inspection {
    /// "disk", "iso9660", "qcow2", "docker-archive", "oci-archive", "tarball" or
    /// "file-system".
    pub kind: String,
    pub size: u64,
    pub size_human: String,
    /// "mbr", "gpt", or None.
    pub partition_table: Option<String>,
    pub disk_id: Option<String>,
    pub partitions: Vec<FoundPartition>,
    /// What the whole file is as a file system: a bare one, or an ISO (also when isohybrid).
    pub file_system: Option<String>,
    pub label: Option<String>,
    pub uuid: Option<String>,
    pub iso: Option<IsoInfo>,
    pub qcow2: Option<Qcow2Info>,
    pub archive: Option<ArchiveInfo>,
}

impl Inspection {
    fn new(kind: &str, size: u64) -> Inspection {
        Inspection {
            kind: kind.into(),
            size,
            size_human: human(size),
            partition_table: None,
            disk_id: None,
            partitions: Vec::new(),
            file_system: None,
            label: None,
            uuid: None,
            iso: None,
            qcow2: None,
            archive: None,
        }
    }

    fn set_fs(&mut self, fs: FoundFs) {
        self.file_system = Some(fs.kind);
        self.label = fs.label;
        self.uuid = fs.uuid;
    }
}

/// The size of a regular file or block device; other files are refused.
fn size_of(file: &File, path: &Path) -> Result<u64, InspectError> {
    let err = |source| InspectError::Read {
        path: path.to_path_buf(),
        source,
    };
    let md = file.metadata().map_err(err)?;
    let kind = md.file_type();
    if kind.is_block_device() {
        use std::io::Seek;
        let mut f = file;
        return f.seek(io::SeekFrom::End(0)).map_err(err);
    }
    if !kind.is_file() {
        return Err(InspectError::Unrecognised {
            path: path.to_path_buf(),
            what: "not a regular file or block device".into(),
        });
    }
    Ok(md.len())
}

/// Reads what the file at `path` is.
pub fn inspect(path: &Path) -> Result<Inspection, InspectError> {
    let file = File::open(path).map_err(|source| InspectError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let size = size_of(&file, path)?;
    inspect_file(&file, size, path, true).map_err(|source| InspectError::Read {
        path: path.to_path_buf(),
        source,
    })?
}

fn inspect_file(
    file: &File,
    size: u64,
    path: &Path,
    outer: bool,
) -> io::Result<Result<Inspection, InspectError>> {
    let head = read(file, 0, 512)?;
    if outer && field(&head, 0, 4) == Some(b"QFI\xfb".as_slice()) {
        return Ok(Ok(qcow2(path, &head, size)?));
    }
    if outer && (archive::is_gzip(&head) || archive::is_tar(&head)) {
        let gzip = archive::is_gzip(&head);
        return Ok(match archive::read_archive(file, gzip) {
            Ok(info) => {
                let mut i = Inspection::new(info.format, size);
                i.archive = Some(info);
                Ok(i)
            }
            Err(e) if gzip => Err(InspectError::Unrecognised {
                path: path.to_path_buf(),
                what: format!("gzip data, but not a tar archive: {e}"),
            }),
            Err(e) => return Err(e),
        });
    }
    let whole = crate::file_system::probe(file, 0)?;
    let bare_fat = whole.as_ref().is_some_and(|f| f.kind.starts_with("fat"));
    if !bare_fat {
        if let Some(t) = table::read_table(file, size)? {
            let mut i = Inspection::new("disk", size);
            i.partition_table = Some(t.kind.into());
            i.disk_id = Some(t.disk_id);
            i.partitions = t.partitions;
            // An isohybrid ISO has both: say what the whole file is too.
            if let Some(fs) = whole.filter(|f| f.kind == "iso9660") {
                i.kind = "iso9660".into();
                i.set_fs(fs);
                i.iso = iso::read_iso(file)?;
            }
            return Ok(Ok(i));
        }
    }
    let Some(fs) = whole else {
        let what = if size == 0 {
            "empty".to_string()
        } else if head.iter().all(|b| *b == 0) {
            "its first sector is all zeros".to_string()
        } else {
            "no partition table, file system or archive header found".to_string()
        };
        return Ok(Err(InspectError::Unrecognised {
            path: path.to_path_buf(),
            what,
        }));
    };
    let kind = if fs.kind == "iso9660" {
        "iso9660"
    } else {
        "file-system"
    };
    let mut i = Inspection::new(kind, size);
    if fs.kind == "iso9660" {
        i.iso = iso::read_iso(file)?;
    }
    i.set_fs(fs);
    Ok(Ok(i))
}

fn qcow2(path: &Path, head: &[u8], size: u64) -> io::Result<Inspection> {
    let bad = || io::Error::new(io::ErrorKind::InvalidData, "truncated qcow2 header");
    let version = be32(head, 4).ok_or_else(bad)?;
    let cluster_bits = be32(head, 20).ok_or_else(bad)?;
    let virtual_size = be64(head, 24).ok_or_else(bad)?;
    let header_length = if version >= 3 { be32(head, 100) } else { None };
    let compression = match (header_length, head.get(104)) {
        (Some(len), Some(1)) if len > 104 => "zstd",
        _ => "zlib",
    };
    let (disk, disk_error) = match inner_disk(path) {
        Ok(disk) => (Some(Box::new(disk)), None),
        Err(e) => (None, Some(e)),
    };
    let mut i = Inspection::new("qcow2", size);
    i.qcow2 = Some(Qcow2Info {
        version,
        virtual_size,
        virtual_size_human: human(virtual_size),
        cluster_size: 1u64.checked_shl(cluster_bits as u32).unwrap_or(0),
        compression,
        disk,
        disk_error,
    });
    Ok(i)
}

/// The raw disk inside a qcow2: `qemu-img convert` into a sparse temporary file, inspected.
fn inner_disk(path: &Path) -> Result<Inspection, String> {
    let raw = tempfile::Builder::new()
        .prefix("ingot-inspect-")
        .tempfile()
        .map_err(|e| format!("cannot create a temporary file: {e}"))?;
    let out = crate::child::output(
        std::process::Command::new("qemu-img")
            .args(["convert", "-f", "qcow2", "-O", "raw"])
            .arg(crate::output::qcow2::not_an_option(path))
            .arg(raw.path()),
    )
    .map_err(|e| format!("cannot run qemu-img ({e}); install qemu-utils"))?;
    if !out.status.success() {
        return Err(format!(
            "qemu-img convert failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let raw_file = File::open(raw.path()).map_err(|e| e.to_string())?;
    let size = raw_file.metadata().map_err(|e| e.to_string())?.len();
    match inspect_file(&raw_file, size, raw.path(), false) {
        Ok(Ok(i)) => Ok(i),
        Ok(Err(e)) => Err(e.to_string()),
        Err(e) => Err(e.to_string()),
    }
}

fn opt(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("-")
}

/// A table for people.
pub fn render(i: &Inspection) -> String {
    let mut out = format!("{}  {} ({} bytes)", i.kind, i.size_human, i.size);
    if let Some(t) = &i.partition_table {
        out.push_str(&format!("  table {t}  id {}", opt(&i.disk_id)));
    }
    out.push('\n');
    if let Some(fs) = &i.file_system {
        out.push_str(&format!(
            "file system {fs}  label {}  uuid {}\n",
            opt(&i.label),
            opt(&i.uuid)
        ));
    }
    if let Some(iso) = &i.iso {
        out.push_str(&format!(
            "volume {}  system {}  size {}\n",
            opt(&iso.volume_id),
            opt(&iso.system_id),
            human(iso.volume_size)
        ));
        for e in &iso.boot_entries {
            out.push_str(&format!(
                "El Torito {}  {}{}  at block {}  {} sectors\n",
                e.platform,
                e.emulation,
                if e.bootable { ", bootable" } else { "" },
                e.load_lba,
                e.sectors
            ));
        }
    }
    if !i.partitions.is_empty() {
        let mut rows = vec![[
            "#", "start", "size", "type", "boot", "fs", "label", "uuid", "name",
        ]
        .map(String::from)];
        for p in &i.partitions {
            rows.push([
                p.index.to_string(),
                p.offset.to_string(),
                human(p.size),
                match p.type_name {
                    Some(n) => format!("{n} ({})", p.part_type),
                    None => p.part_type.clone(),
                },
                if p.bootable {
                    "*".into()
                } else {
                    String::new()
                },
                opt(&p.file_system).to_string(),
                opt(&p.label).to_string(),
                opt(&p.uuid).to_string(),
                opt(&p.name).to_string(),
            ]);
        }
        out.push_str(&columns(&rows));
    }
    if let Some(q) = &i.qcow2 {
        out.push_str(&format!(
            "qcow2 v{}  virtual size {} ({} bytes)  clusters {}  compression {}\n",
            q.version,
            q.virtual_size_human,
            q.virtual_size,
            human(q.cluster_size),
            q.compression
        ));
        match (&q.disk, &q.disk_error) {
            (Some(d), _) => {
                out.push_str("inside: ");
                out.push_str(&render(d));
            }
            (None, Some(e)) => out.push_str(&format!("inside: unknown ({e})\n")),
            (None, None) => {}
        }
    }
    if let Some(a) = &i.archive {
        out.push_str(&format!(
            "{} ({} compression)  {} entries\n",
            a.format, a.compression, a.entries
        ));
        for t in &a.repo_tags {
            out.push_str(&format!("tag {t}\n"));
        }
        for l in &a.layers {
            out.push_str(&format!(
                "layer {}  {}  {}{}{}\n",
                l.path,
                l.digest,
                human(l.size),
                l.entries
                    .map(|n| format!("  {n} entries"))
                    .unwrap_or_default(),
                match l.verified {
                    Some(true) => "  digest verified",
                    Some(false) => "  DIGEST MISMATCH",
                    None => "",
                }
            ));
        }
    }
    out
}

fn columns(rows: &[[String; 9]]) -> String {
    let mut widths = [0usize; 9];
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut out = String::new();
    for r in rows {
        let line: Vec<String> = r
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}
