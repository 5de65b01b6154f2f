//! A container image as the root tree: an OCI image layout directory, or a tar holding a
//! docker-archive (`docker save`, skopeo, ingot's docker output) or an OCI layout. The image's
//! layers are applied in order with their whiteouts (`.wh.NAME` removes NAME,
//! `.wh..wh..opq` hides what lower layers put in its directory); owners and xattrs are kept.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, Seek};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::tar_format::{display_name, Reader};
use super::tar_source::{add_member, plain_file, tree_path};
use super::{open_source, ContentError, LoadPolicy, LoadReport, NodeId, NodeKind, Tree};

const OPAQUE: &[u8] = b".wh..wh..opq";
const WHITEOUT: &[u8] = b".wh.";
/// Manifests, indexes and configs are small; refuse giant ones rather than reading them.
const MAX_JSON: u64 = 16 << 20;

/// Where the image's files are: a directory, or the tree of the outer archive.
pub enum Store {
    Dir(PathBuf),
    Tar(Tree),
}

pub fn is_oci_layout(dir: &Path) -> bool {
    dir.join("oci-layout").is_file() && dir.join("index.json").is_file()
}

/// A tar whose top level is an image (manifest.json of docker-archive, or an OCI layout) and
/// not a file system.
pub fn is_image_archive(tree: &Tree) -> bool {
    let file = |name: &str| {
        tree.lookup(name)
            .is_some_and(|id| matches!(tree.node(id).kind, NodeKind::File { .. }))
    };
    file("manifest.json") || (file("oci-layout") && file("index.json"))
}

impl Store {
    /// A file of the image as a seekable file (a member of the outer tar is copied out).
    fn open(&self, path: &str, what: &Path) -> Result<File, ContentError> {
        check_relative(path, what)?;
        match self {
            Store::Dir(dir) => {
                let p = dir.join(path);
                File::open(&p).map_err(|e| ContentError::io(p, e))
            }
            Store::Tar(tree) => {
                let missing = || invalid(what, format!("the image names {path}, which it lacks"));
                let id = tree.lookup(path).ok_or_else(missing)?;
                let (source, size) = tree.file_source(id).ok_or_else(missing)?;
                let io = |e| ContentError::io(what, e);
                let mut out = tempfile::tempfile().map_err(io)?;
                io::copy(&mut open_source(source, size).map_err(io)?, &mut out).map_err(io)?;
                out.seek(io::SeekFrom::Start(0)).map_err(io)?;
                Ok(out)
            }
        }
    }

    fn json(&self, path: &str, what: &Path) -> Result<serde_json::Value, ContentError> {
        let file = self.open(path, what)?;
        let len = file
            .metadata()
            .map_err(|e| ContentError::io(what, e))?
            .len();
        if len > MAX_JSON {
            return Err(invalid(
                what,
                format!("{path} is {len} bytes, too big for a manifest"),
            ));
        }
        serde_json::from_reader(io::BufReader::new(file))
            .map_err(|e| invalid(what, format!("{path}: not valid JSON: {e}")))
    }
}

fn invalid(what: &Path, reason: String) -> ContentError {
    ContentError::Invalid {
        path: what.display().to_string(),
        reason,
    }
}

/// Image paths come from the image: no absolute paths, no `..`.
fn check_relative(path: &str, what: &Path) -> Result<(), ContentError> {
    if path.starts_with('/') || path.split('/').any(|c| c == "..") || path.is_empty() {
        return Err(invalid(what, format!("the image names the path {path:?}")));
    }
    Ok(())
}

/// "sha256:<hex>" to its blob path, refusing anything but a plain digest.
fn blob_path(digest: &str, what: &Path) -> Result<String, ContentError> {
    let (alg, hex) = digest
        .split_once(':')
        .ok_or_else(|| invalid(what, format!("a malformed digest {digest:?}")))?;
    let plain = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric());
    if !plain(alg) || !plain(hex) {
        return Err(invalid(what, format!("a malformed digest {digest:?}")));
    }
    Ok(format!("blobs/{alg}/{hex}"))
}

fn str_field<'v>(
    v: &'v serde_json::Value,
    key: &str,
    what: &Path,
) -> Result<&'v str, ContentError> {
    v[key]
        .as_str()
        .ok_or_else(|| invalid(what, format!("the image's manifest has no {key}")))
}

/// The layer paths, bottom first.
fn layers(store: &Store, what: &Path) -> Result<Vec<String>, ContentError> {
    let has = |name: &str| match store {
        Store::Dir(d) => d.join(name).is_file(),
        Store::Tar(t) => t.lookup(name).is_some(),
    };
    if has("manifest.json") {
        let manifest = store.json("manifest.json", what)?;
        let images = manifest.as_array().map(Vec::as_slice).unwrap_or_default();
        let [image] = images else {
            return Err(invalid(
                what,
                format!(
                    "a docker-archive with {} images; ingot takes one",
                    images.len()
                ),
            ));
        };
        let layers = image["Layers"]
            .as_array()
            .ok_or_else(|| invalid(what, "manifest.json lists no Layers".into()))?;
        return layers
            .iter()
            .map(|l| {
                l.as_str().map(str::to_string).ok_or_else(|| {
                    invalid(what, "manifest.json: a layer that is not a path".into())
                })
            })
            .collect();
    }
    // OCI: index.json -> (nested indexes) -> one image manifest.
    let mut index = store.json("index.json", what)?;
    for _ in 0..4 {
        let manifests = index["manifests"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        let chosen: Vec<&serde_json::Value> = if manifests.len() > 1 {
            manifests
                .iter()
                .filter(|m| {
                    m["platform"]["architecture"]
                        .as_str()
                        .is_none_or(|a| a == "amd64")
                })
                .collect()
        } else {
            manifests.iter().collect()
        };
        let [m] = chosen.as_slice() else {
            return Err(invalid(
                what,
                format!(
                    "an OCI index with {} image manifests; ingot takes one",
                    chosen.len()
                ),
            ));
        };
        let doc = store.json(&blob_path(str_field(m, "digest", what)?, what)?, what)?;
        if doc["layers"].is_array() {
            return doc["layers"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|l| blob_path(str_field(l, "digest", what)?, what))
                .collect();
        }
        index = doc; // a nested index
    }
    Err(invalid(what, "OCI indexes nested too deeply".into()))
}

/// Loads the image's layers into one tree.
pub fn load(
    store: Store,
    what: &Path,
    policy: LoadPolicy,
) -> Result<(Tree, LoadReport), ContentError> {
    let mut tree = Tree::new_at(policy.clamp_mtime.unwrap_or(1));
    let mut report = LoadReport::default();
    for layer in layers(&store, what)? {
        let file = Arc::new(plain_file(store.open(&layer, what)?, what)?);
        apply_layer(&mut tree, &file, policy, &mut report)
            .map_err(|reason| invalid(what, format!("layer {layer}: {reason}")))?;
    }
    Ok((tree, report))
}

fn apply_layer(
    tree: &mut Tree,
    file: &Arc<File>,
    policy: LoadPolicy,
    report: &mut LoadReport,
) -> Result<(), String> {
    let mut reader = Reader::new(file).map_err(|e| e.to_string())?;
    // Nodes this layer made or touched: an opaque marker keeps them.
    let mut ours: HashSet<NodeId> = HashSet::new();
    while let Some(member) = reader.next_member().map_err(|e| e.to_string())? {
        let path = tree_path(&member.path).to_vec();
        let (parent, base) = match path.iter().rposition(|b| *b == b'/') {
            Some(i) => (&path[..i], &path[i + 1..]),
            None => (&b""[..], &path[..]),
        };
        if base == OPAQUE {
            let dir = tree
                .mkdir_p_bytes(parent)
                .map_err(|e| format!("{}: {e}", display_name(&path)))?;
            ours.insert(dir);
            tree.retain_children(dir, |id| ours.contains(&id));
            continue;
        }
        if let Some(name) = base.strip_prefix(WHITEOUT) {
            if let Some(dir) = tree.lookup_bytes(parent) {
                tree.unlink(dir, name);
            }
            continue;
        }
        // A directory replaces a non-directory and the other way round; two directories merge.
        let is_dir = matches!(member.typeflag, b'5' | b'D');
        if let Some(existing) = tree.lookup_bytes(&path) {
            if matches!(tree.node(existing).kind, NodeKind::Dir(_)) != is_dir {
                if let Some(dir) = tree.lookup_bytes(parent) {
                    tree.unlink(dir, base);
                }
            }
        }
        let before = tree.len();
        add_member(tree, file, member, policy, report)?;
        ours.extend(before..tree.len());
        if let Some(id) = tree.lookup_bytes(&path) {
            ours.insert(id);
        }
    }
    Ok(())
}
