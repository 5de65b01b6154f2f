//! The `docker` image type: a gzip-compressed archive that `docker load` (and skopeo's
//! `docker-archive:` transport) reads, with one layer holding the whole root tree — as Guix's
//! `guix system image -t docker` makes it. Optionally an OCI image layout instead.
//!
//! Every identifier is content-derived (sha256 of the layer and config), every date comes from
//! `created`, and JSON keys are sorted, so the same tree gives the same bytes.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Seek, SeekFrom, Write};
use std::path::Path;

use serde_json::json;
use sha2::{Digest, Sha256};

use crate::content::Tree;
use crate::context::{NoProgress, Progress};
use crate::output::error::OutputError;
use crate::output::tarball::{
    write_tree, Entry, Kind, ParGzWriter, TarWriter, TreeOptions, GZIP_LEVEL,
};

const FORMAT: &str = "docker";

/// Parameters of [`write_docker`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DockerParams {
    /// Repository name of the image tag (`RepoTags` = `name:tag`), e.g. "guix" or
    /// "example.org/team/app".
    pub name: String,
    pub tag: String,
    /// Creation time (seconds since the epoch): the `created` field and the outer archive's
    /// members; layer members carry the tree's times.
    pub created: i64,
    /// Go-style architecture name: "amd64", "arm64", "386", …
    pub architecture: String,
    pub entrypoint: Vec<String>,
    /// "NAME=VALUE" strings.
    pub env: Vec<String>,
    /// Write an OCI image layout (oci-layout, index.json, blobs/sha256/…) instead of the
    /// docker-archive layout.
    pub oci: bool,
}

/// Writes `tree` as a one-layer container image archive into `out`.
///
/// The layer is first written to an unlinked temporary file while its sha256 is computed (the
/// archive's metadata, which comes first, names it), then copied into the archive, so file
/// data is never held in memory.
pub fn write_docker(out: &File, tree: &Tree, params: &DockerParams) -> Result<(), OutputError> {
    write_docker_in(out, tree, params, &std::env::temp_dir(), &NoProgress)
}

/// [`write_docker`] with the layer waiting in `temp_dir` (a build's scratch directory); the
/// layer's file data is reported to `progress`.
pub fn write_docker_in(
    out: &File,
    tree: &Tree,
    params: &DockerParams,
    temp_dir: &Path,
    progress: &dyn Progress,
) -> Result<(), OutputError> {
    validate(params)?;
    let write_err = |source| OutputError::Write {
        format: FORMAT,
        source,
    };
    let (mut layer, layer_digest, layer_size) = write_layer(tree, temp_dir, progress)?;
    let config = config_json(params, &layer_digest);

    let buffered = BufWriter::with_capacity(1 << 20, out);
    let gz = ParGzWriter::new(buffered, GZIP_LEVEL).map_err(write_err)?;
    let mut archive = Archive {
        tar: TarWriter::new(gz),
        mtime: params.created,
    };
    layer.seek(SeekFrom::Start(0)).map_err(write_err)?;
    let mut layer = BufReader::with_capacity(1 << 20, layer);
    let result = if params.oci {
        write_oci_members(
            &mut archive,
            params,
            &config,
            &layer_digest,
            layer_size,
            &mut layer,
        )
    } else {
        write_docker_members(
            &mut archive,
            params,
            &config,
            &layer_digest,
            layer_size,
            &mut layer,
        )
    };
    result.map_err(write_err)?;
    let gz = archive.tar.finish().map_err(write_err)?;
    let mut buffered = gz.finish().map_err(write_err)?;
    buffered.flush().map_err(write_err)?;
    Ok(())
}

/// Writes the layer tar to an unlinked temporary file; returns it with its sha256 (hex) and size.
fn write_layer(
    tree: &Tree,
    temp_dir: &Path,
    progress: &dyn Progress,
) -> Result<(File, String, u64), OutputError> {
    // The layer waits in `temp_dir`: say so when it fills up.
    let write_err = |e: io::Error| OutputError::Write {
        format: FORMAT,
        source: io::Error::new(
            e.kind(),
            format!("temporary layer file in {}: {e}", temp_dir.display()),
        ),
    };
    let file = tempfile::tempfile_in(temp_dir).map_err(write_err)?;
    let hashing = HashingWriter {
        inner: BufWriter::with_capacity(1 << 20, &file),
        hasher: Sha256::new(),
        len: 0,
    };
    let mut tar = TarWriter::new(hashing);
    // Layers name members "etc/passwd" (no "./", no entry for the root), as docker does.
    let opts = TreeOptions { dot_root: false };
    write_tree(&mut tar, tree, &opts, FORMAT, progress)?;
    let HashingWriter { inner, hasher, len } = tar.finish().map_err(write_err)?;
    inner.into_inner().map_err(|e| write_err(e.into_error()))?;
    let digest = hex(&hasher.finalize());
    Ok((file, digest, len))
}

/// The image configuration (the same document for docker and OCI).
fn config_json(params: &DockerParams, layer_digest: &str) -> Vec<u8> {
    let value = json!({
        "architecture": params.architecture,
        "comment": "Generated by ingot",
        "created": rfc3339(params.created),
        "config": {
            "Entrypoint": params.entrypoint,
            "Env": params.env,
        },
        "container_config": null,
        "os": "linux",
        "rootfs": {
            "type": "layers",
            "diff_ids": [format!("sha256:{layer_digest}")],
        },
    });
    value.to_string().into_bytes()
}

/// docker-archive: ID/{VERSION,json,layer.tar}, config.json, manifest.json, repositories.
fn write_docker_members<W: Write>(
    archive: &mut Archive<W>,
    params: &DockerParams,
    config: &[u8],
    layer_digest: &str,
    layer_size: u64,
    layer: &mut dyn io::Read,
) -> io::Result<()> {
    let id = layer_digest;
    let v1_json = json!({
        "id": id,
        "created": rfc3339(params.created),
        "container_config": null,
        "architecture": params.architecture,
        "os": "linux",
    });
    let repo_tag = format!("{}:{}", params.name, params.tag);
    let manifest = json!([{
        "Config": "config.json",
        "RepoTags": [repo_tag],
        "Layers": [format!("{id}/layer.tar")],
    }]);
    let repositories = json!({ params.name.as_str(): { params.tag.as_str(): id } });

    // Members in byte order of their names (hex ids sort before "config.json").
    archive.dir(&format!("{id}/"))?;
    archive.bytes(&format!("{id}/VERSION"), b"1.0")?;
    archive.bytes(&format!("{id}/json"), v1_json.to_string().as_bytes())?;
    archive.stream(&format!("{id}/layer.tar"), layer_size, layer)?;
    archive.bytes("config.json", config)?;
    archive.bytes("manifest.json", manifest.to_string().as_bytes())?;
    archive.bytes("repositories", repositories.to_string().as_bytes())
}

/// OCI image layout: blobs/sha256/{config,manifest,layer}, index.json, oci-layout.
fn write_oci_members<W: Write>(
    archive: &mut Archive<W>,
    params: &DockerParams,
    config: &[u8],
    layer_digest: &str,
    layer_size: u64,
    layer: &mut dyn io::Read,
) -> io::Result<()> {
    let config_digest = sha256_hex(config);
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {
            "mediaType": "application/vnd.oci.image.config.v1+json",
            "digest": format!("sha256:{config_digest}"),
            "size": config.len(),
        },
        "layers": [{
            "mediaType": "application/vnd.oci.image.layer.v1.tar",
            "digest": format!("sha256:{layer_digest}"),
            "size": layer_size,
        }],
    })
    .to_string()
    .into_bytes();
    let manifest_digest = sha256_hex(&manifest);
    let index = json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": format!("sha256:{manifest_digest}"),
            "size": manifest.len(),
            "annotations": {
                // The tag for skopeo/podman, the full name for `docker load`.
                "org.opencontainers.image.ref.name": params.tag,
                "io.containerd.image.name": format!("{}:{}", params.name, params.tag),
            },
        }],
    });

    archive.dir("blobs/")?;
    archive.dir("blobs/sha256/")?;
    // Blobs in byte order of their digests.
    enum Blob<'a> {
        Bytes(&'a [u8]),
        Layer,
    }
    let mut blobs = [
        (config_digest.as_str(), Blob::Bytes(config)),
        (manifest_digest.as_str(), Blob::Bytes(&manifest)),
        (layer_digest, Blob::Layer),
    ];
    blobs.sort_by(|a, b| a.0.cmp(b.0));
    let mut last = "";
    for (digest, blob) in blobs {
        if digest == last {
            continue; // identical content is one blob
        }
        last = digest;
        let path = format!("blobs/sha256/{digest}");
        match blob {
            Blob::Bytes(bytes) => archive.bytes(&path, bytes)?,
            Blob::Layer => archive.stream(&path, layer_size, layer)?,
        }
    }
    archive.bytes("index.json", index.to_string().as_bytes())?;
    archive.bytes("oci-layout", br#"{"imageLayoutVersion":"1.0.0"}"#)
}

/// The outer archive: root-owned members, all dated `mtime`.
struct Archive<W: Write> {
    tar: TarWriter<W>,
    mtime: i64,
}

impl<W: Write> Archive<W> {
    fn entry<'a>(&self, path: &'a str, kind: Kind<'a>, mode: u32) -> Entry<'a> {
        Entry {
            path: path.as_bytes(),
            kind,
            mode,
            uid: 0,
            gid: 0,
            mtime: self.mtime,
            xattrs: &[],
        }
    }
    fn dir(&mut self, path: &str) -> io::Result<()> {
        let e = self.entry(path, Kind::Dir, 0o755);
        self.tar.append(&e, None)
    }
    fn bytes(&mut self, path: &str, mut data: &[u8]) -> io::Result<()> {
        let e = self.entry(
            path,
            Kind::File {
                size: data.len() as u64,
            },
            0o644,
        );
        self.tar.append(&e, Some(&mut data))
    }
    fn stream(&mut self, path: &str, size: u64, data: &mut dyn io::Read) -> io::Result<()> {
        let e = self.entry(path, Kind::File { size }, 0o644);
        self.tar.append(&e, Some(data))
    }
}

/// Passes writes through while computing their sha256 and length.
struct HashingWriter<W: Write> {
    inner: W,
    hasher: Sha256,
    len: u64,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks what docker would refuse at load time, so the error comes now and names the field.
fn validate(p: &DockerParams) -> Result<(), OutputError> {
    let bad = |what: &'static str, value: &str, reason: &str| OutputError::Parameter {
        format: FORMAT,
        what,
        value: value.to_string(),
        reason: reason.to_string(),
    };
    // Docker's reference grammar, simplified: components of lowercase letters and digits
    // joined by '.', '_' or '-', separated by '/'; the first of several components may be a
    // registry host with a ":port".
    let component_ok = |c: &str| {
        !c.is_empty()
            && c.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-:".contains(&b))
            && c.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
            && c.bytes().last().is_some_and(|b| b.is_ascii_alphanumeric())
    };
    let components: Vec<&str> = p.name.split('/').collect();
    let name_ok = p.name.len() <= 255
        && components.iter().enumerate().all(|(i, c)| {
            component_ok(c) && (!c.contains(':') || (i == 0 && components.len() > 1))
        });
    if !name_ok {
        return Err(bad(
            "image name",
            &p.name,
            "use lowercase letters, digits and '.', '_', '-' between them, components separated by '/'",
        ));
    }
    let tag_ok = (1..=128).contains(&p.tag.len())
        && p.tag
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
        && p.tag
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !tag_ok {
        return Err(bad(
            "image tag",
            &p.tag,
            "use 1 to 128 letters, digits, '_', '.', '-', not starting with '.' or '-'",
        ));
    }
    if p.architecture.is_empty()
        || !p
            .architecture
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err(bad(
            "architecture",
            &p.architecture,
            "use a Go architecture name such as amd64, arm64, 386, ppc64le, riscv64",
        ));
    }
    if let Some(e) = p
        .env
        .iter()
        .find(|e| !e.contains('=') || e.starts_with('='))
    {
        return Err(bad("environment entry", e, "write it as NAME=VALUE"));
    }
    Ok(())
}

/// Seconds since the epoch as an RFC 3339 UTC time ("2023-11-14T22:13:20Z").
fn rfc3339(secs: i64) -> String {
    let t = crate::time::UtcTime::from_epoch(secs);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> DockerParams {
        DockerParams {
            name: "guix".into(),
            tag: "latest".into(),
            created: 1,
            architecture: "amd64".into(),
            entrypoint: vec!["/bin/sh".into()],
            env: vec!["PATH=/bin".into()],
            oci: false,
        }
    }

    #[test]
    fn rfc3339_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1), "1970-01-01T00:00:01Z");
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(-1), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn parameters_are_validated() {
        assert!(validate(&params()).is_ok());
        let ok = DockerParams {
            name: "registry.example.org:5000/team/my_app".into(),
            ..params()
        };
        assert!(validate(&ok).is_ok());
        for (name, tag) in [
            ("Guix", "latest"),
            ("a//b", "x"),
            ("-x", "x"),
            ("x", ".x"),
            ("x", ""),
            ("a:1", "x"),
        ] {
            let p = DockerParams {
                name: name.into(),
                tag: tag.into(),
                ..params()
            };
            assert!(validate(&p).is_err(), "{name}:{tag}");
        }
        let p = DockerParams {
            env: vec!["NOVALUE".into()],
            ..params()
        };
        let msg = validate(&p).unwrap_err().to_string();
        assert!(msg.contains("NAME=VALUE"), "{msg}");
    }

    #[test]
    fn config_names_the_layer() {
        let c: serde_json::Value = serde_json::from_slice(&config_json(&params(), "ab")).unwrap();
        assert_eq!(c["rootfs"]["diff_ids"][0], "sha256:ab");
        assert_eq!(c["created"], "1970-01-01T00:00:01Z");
        assert_eq!(c["config"]["Entrypoint"][0], "/bin/sh");
    }
}
