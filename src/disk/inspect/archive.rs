//! Tar archives read back: ingot's docker-archive and OCI image layout outputs (the layers with
//! their sha256 digests and entry counts) and plain tarballs (the entry count), gzip-compressed
//! or not. Archives are streamed: only small JSON members are held in memory.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufReader, Read};

use serde::Serialize;
use sha2::{Digest, Sha256};

/// Members at most this large are kept to be parsed (manifests, configs, indexes).
const SMALL: u64 = 1 << 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArchiveInfo {
    /// "docker-archive", "oci-archive" or "tarball".
    pub format: &'static str,
    /// "gzip" or "none".
    pub compression: &'static str,
    /// Members of the (outer) archive.
    pub entries: u64,
    pub repo_tags: Vec<String>,
    pub layers: Vec<Layer>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Layer {
    /// The layer's name in the archive.
    pub path: String,
    /// "sha256:…" of the layer as stored.
    pub digest: String,
    pub size: u64,
    /// Members of the layer's own tar.
    pub entries: Option<u64>,
    /// For OCI: whether the stored blob hashes to the digest its manifest names.
    pub verified: Option<bool>,
}

struct Member {
    digest: String,
    size: u64,
    entries: Option<u64>,
}

/// Whether `head` (the first 512 bytes or more) starts a tar archive.
pub fn is_tar(head: &[u8]) -> bool {
    head.get(257..262) == Some(b"ustar".as_slice())
}

pub fn is_gzip(head: &[u8]) -> bool {
    head.starts_with(&[0x1f, 0x8b])
}

/// A reader that hashes what passes through it.
struct Hashing<R> {
    inner: R,
    hash: Sha256,
    len: u64,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        self.len = self.len.saturating_add(n as u64);
        Ok(n)
    }
}

/// Counts the members of a tar stream (gzip-compressed or not); None when it is not a tar.
fn count_members(mut r: impl Read) -> io::Result<Option<u64>> {
    let mut head = vec![0u8; 512];
    let n = read_up_to(&mut r, &mut head)?;
    head.truncate(n);
    let rest = io::Cursor::new(head.clone()).chain(r);
    if is_gzip(&head) {
        let mut inner = flate2::read::GzDecoder::new(rest);
        let mut h = vec![0u8; 512];
        let n = read_up_to(&mut inner, &mut h)?;
        h.truncate(n);
        if !is_tar(&h) {
            return Ok(None);
        }
        return count_tar(io::Cursor::new(h).chain(inner)).map(Some);
    }
    if !is_tar(&head) {
        return Ok(None);
    }
    count_tar(rest).map(Some)
}

fn count_tar(r: impl Read) -> io::Result<u64> {
    let mut archive = tar::Archive::new(r);
    let mut n = 0u64;
    for entry in archive.entries()? {
        entry?;
        n += 1;
    }
    Ok(n)
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut done = 0;
    while done < buf.len() {
        match r.read(&mut buf[done..])? {
            0 => break,
            n => done += n,
        }
    }
    Ok(done)
}

fn normalized(path: &str) -> String {
    path.trim_start_matches("./").to_string()
}

/// Whether a member may be a layer or blob worth hashing.
fn layer_like(path: &str) -> bool {
    path.starts_with("blobs/") || path.ends_with(".tar") || path.ends_with(".tar.gz")
}

/// Reads the tar archive in `file` (after `head` shows it is one, maybe gzip-compressed).
pub fn read_archive(file: &File, gzip: bool) -> io::Result<ArchiveInfo> {
    let reader = BufReader::with_capacity(1 << 20, file);
    let stream: Box<dyn Read> = if gzip {
        Box::new(flate2::read::GzDecoder::new(reader))
    } else {
        Box::new(reader)
    };
    let mut archive = tar::Archive::new(stream);
    let mut entries = 0u64;
    let mut small: HashMap<String, Vec<u8>> = HashMap::new();
    let mut members: HashMap<String, Member> = HashMap::new();
    for entry in archive.entries()? {
        let mut entry = entry?;
        entries += 1;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let path = normalized(&entry.path()?.to_string_lossy());
        let size = entry.size();
        if size <= SMALL
            && (path.ends_with(".json") || path.starts_with("blobs/") || path == "oci-layout")
        {
            let mut data = Vec::new();
            entry.read_to_end(&mut data)?;
            members.insert(
                path.clone(),
                Member {
                    digest: format!("sha256:{:x}", Sha256::digest(&data)),
                    size,
                    entries: count_members(data.as_slice())?,
                },
            );
            small.insert(path, data);
        } else if layer_like(&path) {
            let mut hashing = Hashing {
                inner: &mut entry,
                hash: Sha256::new(),
                len: 0,
            };
            let count = count_members(&mut hashing)?;
            io::copy(&mut hashing, &mut io::sink())?;
            let digest = format!("sha256:{:x}", hashing.hash.finalize());
            members.insert(
                path,
                Member {
                    digest,
                    size,
                    entries: count,
                },
            );
        }
    }
    let compression = if gzip { "gzip" } else { "none" };
    let json =
        |name: &str| -> Option<serde_json::Value> { serde_json::from_slice(small.get(name)?).ok() };
    let layer = |path: &str, verified: Option<bool>| -> Layer {
        let m = members.get(path);
        Layer {
            path: path.to_string(),
            digest: m.map(|m| m.digest.clone()).unwrap_or_default(),
            size: m.map(|m| m.size).unwrap_or(0),
            entries: m.and_then(|m| m.entries),
            verified,
        }
    };
    // docker-archive: manifest.json lists each image's config, tags and layer paths.
    if let Some(manifest) = json("manifest.json").and_then(|m| m.as_array().cloned()) {
        let mut info = ArchiveInfo {
            format: "docker-archive",
            compression,
            entries,
            repo_tags: Vec::new(),
            layers: Vec::new(),
        };
        for image in &manifest {
            for tag in image["RepoTags"].as_array().into_iter().flatten() {
                info.repo_tags.extend(tag.as_str().map(str::to_string));
            }
            for path in image["Layers"].as_array().into_iter().flatten() {
                if let Some(p) = path.as_str() {
                    info.layers.push(layer(&normalized(p), None));
                }
            }
        }
        return Ok(info);
    }
    // OCI image layout: index.json → manifests (blobs) → layers (blobs), by digest.
    if small.contains_key("oci-layout") {
        if let Some(index) = json("index.json") {
            let mut info = ArchiveInfo {
                format: "oci-archive",
                compression,
                entries,
                repo_tags: Vec::new(),
                layers: Vec::new(),
            };
            let blob = |digest: &str| format!("blobs/{}", digest.replacen(':', "/", 1));
            for m in index["manifests"].as_array().into_iter().flatten() {
                if let Some(tag) = m["annotations"]["org.opencontainers.image.ref.name"].as_str() {
                    info.repo_tags.push(tag.to_string());
                }
                let Some(manifest) = m["digest"].as_str().and_then(|d| json(&blob(d))) else {
                    continue;
                };
                for l in manifest["layers"].as_array().into_iter().flatten() {
                    let Some(digest) = l["digest"].as_str() else {
                        continue;
                    };
                    let path = blob(digest);
                    let verified = members.get(&path).map(|m| m.digest == digest);
                    info.layers.push(layer(&path, verified));
                }
            }
            return Ok(info);
        }
    }
    Ok(ArchiveInfo {
        format: "tarball",
        compression,
        entries,
        repo_tags: Vec::new(),
        layers: Vec::new(),
    })
}
