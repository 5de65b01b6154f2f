//! The primitives a Scheme partition initializer calls on its `root` handle. Each records one
//! `model::TreeOp`; nothing touches the disk while the definition is read.

use std::path::{Path, PathBuf};

use crate::model::TreeOp;

/// A path inside the partition, normalised (`a//./b` -> `a/b`). Absolute paths and `..` would
/// leave the partition and are refused.
pub(crate) fn partition_path(who: &str, path: &str) -> Result<String, String> {
    if path.starts_with('/') {
        return Err(format!(
            "{who}: {path:?} is absolute; paths are relative to the partition root, e.g. \"etc/motd\""
        ));
    }
    let mut parts = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                return Err(format!(
                    "{who}: {path:?} uses `..`; paths must stay inside the partition"
                ))
            }
            p => parts.push(p),
        }
    }
    if parts.is_empty() {
        return Err(format!(
            "{who}: {path:?} names the partition root itself; give a file name"
        ));
    }
    Ok(parts.join("/"))
}

/// A host file named by the user: relative names are taken from `base` (the definition's
/// directory). It must exist now, so that a typo is reported where it was written.
pub(crate) fn host_source(who: &str, base: &Path, source: &str) -> Result<PathBuf, String> {
    let path = if Path::new(source).is_absolute() {
        PathBuf::from(source)
    } else {
        base.join(source)
    };
    if std::fs::symlink_metadata(&path).is_err() {
        return Err(format!("{who}: {} does not exist", path.display()));
    }
    Ok(path)
}

pub(crate) enum OpArgs<'a> {
    Mkdir {
        path: &'a str,
        mode: u32,
    },
    WriteFile {
        path: &'a str,
        contents: &'a str,
        mode: u32,
    },
    CopyFile {
        source: &'a str,
        path: &'a str,
        mode: Option<u32>,
    },
    CopyTree {
        source: &'a str,
        path: &'a str,
    },
    Symlink {
        target: &'a str,
        path: &'a str,
    },
}

/// Validates one operation and turns it into a `TreeOp`.
pub(crate) fn make_op(args: OpArgs<'_>, base: &Path) -> Result<TreeOp, String> {
    Ok(match args {
        OpArgs::Mkdir { path, mode } => TreeOp::Mkdir {
            path: partition_path("mkdir-p", path)?,
            mode,
        },
        OpArgs::WriteFile {
            path,
            contents,
            mode,
        } => TreeOp::WriteFile {
            path: partition_path("write-file", path)?,
            contents: contents.as_bytes().to_vec(),
            mode,
        },
        OpArgs::CopyFile { source, path, mode } => TreeOp::CopyFile {
            source: host_source("copy-file", base, source)?,
            path: partition_path("copy-file", path)?,
            mode,
        },
        OpArgs::CopyTree { source, path } => {
            let source = host_source("copy-recursively", base, source)?;
            if !source.is_dir() {
                return Err(format!(
                    "copy-recursively: {} is not a directory",
                    source.display()
                ));
            }
            TreeOp::CopyTree {
                source,
                path: partition_path("copy-recursively", path)?,
            }
        }
        OpArgs::Symlink { target, path } => {
            if target.is_empty() {
                return Err("symlink: the target is empty".into());
            }
            TreeOp::Symlink {
                target: target.to_string(),
                path: partition_path("symlink", path)?,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_partition() {
        assert_eq!(partition_path("t", "etc//./motd").unwrap(), "etc/motd");
        assert!(partition_path("t", "/etc/motd").is_err());
        assert!(partition_path("t", "etc/../../x").is_err());
        assert!(partition_path("t", "./").is_err());
    }

    #[test]
    fn host_sources_must_exist() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("f"), "x").unwrap();
        assert_eq!(
            host_source("copy-file", dir.path(), "f").unwrap(),
            dir.path().join("f")
        );
        let e = host_source("copy-file", dir.path(), "missing").unwrap_err();
        assert!(e.contains("does not exist"), "{e}");
        let op = make_op(
            OpArgs::CopyTree {
                source: "f",
                path: "x",
            },
            dir.path(),
        );
        assert!(op.unwrap_err().contains("not a directory"));
    }
}
