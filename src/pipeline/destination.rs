//! Writing the output atomically: a temporary file beside the destination, fsync'd and renamed
//! over it only when complete. A failure or interrupt leaves the destination untouched. Only a
//! regular file is ever replaced: a device, FIFO, socket or directory at the destination is
//! refused before any work.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};

use super::BuildError;
use crate::cleanup::TempGuard;

/// What `-o PATH` names, checked before any work is done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputTarget {
    /// This file, created or (when it is a regular file) replaced.
    File(PathBuf),
    /// An existing directory: the image goes in it under its default name.
    Directory(PathBuf),
}

impl OutputTarget {
    /// Checks `path`: a directory (existing, or named with a trailing `/`) must exist and be
    /// writable; an existing file must be a regular file; a new file's directory must exist
    /// and be writable.
    pub fn check(path: &Path) -> Result<OutputTarget, BuildError> {
        let names_directory = path.as_os_str().as_encoded_bytes().ends_with(b"/");
        match std::fs::metadata(path) {
            Ok(md) if md.is_dir() => {
                writable_directory(path, path)?;
                Ok(OutputTarget::Directory(path.to_path_buf()))
            }
            Ok(_) if names_directory => Err(BuildError::Input(format!(
                "cannot write into {}: it is not a directory",
                path.display()
            ))),
            Ok(md) => {
                refuse_special(path, &md.file_type())?;
                writable_directory(path, &parent_of(path))?;
                Ok(OutputTarget::File(path.to_path_buf()))
            }
            Err(e) if names_directory => Err(BuildError::Input(format!(
                "cannot write into {}: {}",
                path.display(),
                if e.raw_os_error() == Some(libc::ENOTDIR) {
                    "it is not a directory"
                } else {
                    "no such directory"
                }
            ))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                writable_directory(path, &parent_of(path))?;
                Ok(OutputTarget::File(path.to_path_buf()))
            }
            Err(e) => Err(BuildError::io(format!("cannot use {}", path.display()), e)),
        }
    }

    /// The file to write, `default_name` inside a directory target.
    pub fn file(&self, default_name: &str) -> Result<PathBuf, BuildError> {
        match self {
            OutputTarget::File(path) => Ok(path.clone()),
            OutputTarget::Directory(dir) => {
                let path = dir.join(default_name);
                check_file(&path)?;
                Ok(path)
            }
        }
    }
}

/// The directory a file goes in (`.` for a bare name).
pub fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Checks that `path` may be written as a file: absent or regular, in a writable directory.
pub fn check_file(path: &Path) -> Result<(), BuildError> {
    match OutputTarget::check(path)? {
        OutputTarget::File(_) => Ok(()),
        OutputTarget::Directory(_) => Err(BuildError::Input(format!(
            "cannot write {}: it is a directory",
            path.display()
        ))),
    }
}

fn refuse_special(path: &Path, kind: &std::fs::FileType) -> Result<(), BuildError> {
    let what = if kind.is_block_device() {
        "a block device"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_fifo() {
        "a FIFO"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_file() {
        return Ok(());
    } else {
        "not a regular file"
    };
    Err(BuildError::Input(format!(
        "refusing to write {}: it is {what}; ingot only creates or replaces regular files \
         (write the image to a file, then copy it with dd if that is what you mean)",
        path.display()
    )))
}

fn writable_directory(output: &Path, dir: &Path) -> Result<(), BuildError> {
    let md = std::fs::metadata(dir).map_err(|e| {
        BuildError::io(
            format!(
                "cannot write {}: directory {}",
                output.display(),
                dir.display()
            ),
            e,
        )
    })?;
    if !md.is_dir() {
        return Err(BuildError::Input(format!(
            "cannot write {}: {} is not a directory",
            output.display(),
            dir.display()
        )));
    }
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(dir.as_os_str().as_bytes())
        .map_err(|_| BuildError::Input(format!("{} holds a NUL byte", dir.display())))?;
    // SAFETY: `c` is a valid NUL-terminated path for the duration of the call.
    if unsafe { libc::access(c.as_ptr(), libc::W_OK | libc::X_OK) } != 0 {
        return Err(BuildError::io(
            format!(
                "cannot write {}: directory {}",
                output.display(),
                dir.display()
            ),
            io::Error::last_os_error(),
        ));
    }
    Ok(())
}

#[derive(Debug)]
pub struct Destination {
    final_path: PathBuf,
    file: File,
    guard: TempGuard,
}

impl Destination {
    /// Creates the temporary file next to `final_path`.
    pub fn create(final_path: &Path) -> io::Result<Destination> {
        let parent = parent_of(final_path);
        let name = final_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "image".into());
        // An image gets the usual 0666 less the umask: the kernel applies the mask at open,
        // so the process-wide mask is never swapped.
        use std::os::unix::fs::PermissionsExt;
        let (file, guard) = TempGuard::create(|| {
            let temp = tempfile::Builder::new()
                .prefix(&crate::cleanup::temp_prefix(&name))
                .permissions(std::fs::Permissions::from_mode(0o666))
                .tempfile_in(&parent)?;
            temp.keep().map_err(|e| e.error)
        })?;
        Ok(Destination {
            final_path: final_path.to_path_buf(),
            file,
            guard,
        })
    }

    pub fn file(&self) -> &File {
        &self.file
    }

    /// The temporary path (for tools that write a path, e.g. qemu-img).
    pub fn temp_path(&self) -> &Path {
        self.guard.path()
    }

    /// Flushes to disk and renames into place.
    pub fn commit(self) -> io::Result<PathBuf> {
        // Reopen: a tool may have replaced the temp file by path.
        let file = File::open(self.guard.path())?;
        file.sync_all()?;
        drop(self.file);
        // Checked before the build, checked again: something may have appeared meanwhile.
        if let Ok(md) = std::fs::metadata(&self.final_path) {
            if md.is_dir() || refuse_special(&self.final_path, &md.file_type()).is_err() {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    "the destination became something other than a regular file",
                ));
            }
        }
        crate::cleanup::commit_rename(self.guard.path(), &self.final_path)?;
        if let Some(parent) = self.final_path.parent() {
            let dir = if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            };
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
        }
        self.guard.keep();
        Ok(self.final_path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn commit_renames_and_drop_removes() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("x.img");
        let d = Destination::create(&out).unwrap();
        writeln!(d.file(), "data").unwrap();
        assert!(!out.exists());
        d.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "data\n");

        let other = dir.path().join("y.img");
        let d = Destination::create(&other).unwrap();
        drop(d);
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "only x.img remains");
    }

    #[test]
    fn targets_are_files_directories_or_refused() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let file = d.join("a.img");
        assert_eq!(
            OutputTarget::check(&file).unwrap(),
            OutputTarget::File(file.clone())
        );
        std::fs::write(&file, b"x").unwrap();
        assert_eq!(
            OutputTarget::check(&file).unwrap(),
            OutputTarget::File(file.clone())
        );
        let target = OutputTarget::check(d).unwrap();
        assert_eq!(target.file("n.img").unwrap(), d.join("n.img"));
        let slash = PathBuf::from(format!("{}/", d.display()));
        assert!(matches!(
            OutputTarget::check(&slash).unwrap(),
            OutputTarget::Directory(_)
        ));
        std::fs::create_dir(d.join("n.img")).unwrap();
        assert!(
            target.file("n.img").is_err(),
            "a directory under the default name"
        );
        let fifo = d.join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        let err = OutputTarget::check(&fifo).unwrap_err().to_string();
        assert!(err.contains("it is a FIFO"), "{err}");
        let err = OutputTarget::check(&file.join("")).unwrap_err().to_string();
        assert!(err.contains("not a directory"), "{err}");
        let err = OutputTarget::check(&d.join("no/such/x.img"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("directory"), "{err}");
    }
}
