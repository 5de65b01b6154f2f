//! Host files read so that nothing can redirect the read: opened without following any
//! symlink (openat2 RESOLVE_NO_SYMLINKS, else component by component with O_NOFOLLOW) and
//! checked with fstat to be the file the walk saw (regular, same device, inode and size).

use std::ffi::CString;
use std::fs::File;
use std::io;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::os::unix::io::FromRawFd;
use std::path::{Path, PathBuf};

use super::ContentError;

/// A host file as it was seen when the tree was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostFile {
    pub path: PathBuf,
    dev: u64,
    ino: u64,
    /// Fewer blocks than bytes when seen: only then can it have holes worth looking for.
    may_have_holes: bool,
}

impl HostFile {
    /// A file the directory walk saw (lstat: it was a regular file, not a symlink).
    pub fn walked(path: PathBuf, md: &std::fs::Metadata) -> Self {
        Self::listed(path, (md.dev(), md.ino()), md.blocks(), md.len())
    }

    /// [`HostFile::walked`] from the stat's fields: (st_dev, st_ino), st_blocks, st_size.
    pub fn listed(path: PathBuf, (dev, ino): (u64, u64), blocks: u64, size: u64) -> Self {
        HostFile {
            path,
            dev,
            ino,
            may_have_holes: blocks.saturating_mul(512) < size,
        }
    }

    /// Whether the walk's stat allowed holes (st_blocks × 512 < st_size), so writers look for
    /// them without a second stat (cp and tar decide the same way).
    pub fn may_have_holes(&self) -> bool {
        self.may_have_holes
    }

    /// A declared input (`local-file`, `copy-file`, a host kernel): the user's path may go
    /// through symlinks, resolved once here; later reads take the resolved path only.
    pub fn declared(path: &Path) -> Result<(Self, std::fs::Metadata), ContentError> {
        let real = std::fs::canonicalize(path).map_err(|e| ContentError::io(path, e))?;
        let file = open_no_symlinks(&real).map_err(|e| ContentError::io(path, e))?;
        let md = file.metadata().map_err(|e| ContentError::io(path, e))?;
        if !md.is_file() {
            return Err(ContentError::Invalid {
                path: path.display().to_string(),
                reason: "not a regular file".into(),
            });
        }
        Ok((HostFile::walked(real, &md), md))
    }

    /// Opens the file, refusing anything but the file that was seen, at `size` bytes.
    pub fn open(&self, size: u64) -> io::Result<File> {
        let changed = |what: String| crate::fileio::changed(&self.path, &what);
        let file = open_no_symlinks(&self.path).map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) | Some(libc::ENOTDIR) | Some(libc::EXDEV) => {
                changed("a symlink is now in its path".into())
            }
            Some(libc::ENOENT) => changed("it was removed".into()),
            _ => e,
        })?;
        let md = file.metadata()?;
        if !md.is_file() {
            return Err(changed("it is no longer a regular file".into()));
        }
        if (md.dev(), md.ino()) != (self.dev, self.ino) {
            return Err(changed("another file is now in its place".into()));
        }
        if md.len() != size {
            return Err(changed(format!(
                "its size went from {size} to {} bytes",
                md.len()
            )));
        }
        Ok(file)
    }
}

fn c_path(path: &Path) -> io::Result<CString> {
    CString::new(path.as_os_str().as_bytes())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "path contains a NUL byte"))
}

/// Opens `path` read-only without following a symlink in any component. O_NONBLOCK keeps a
/// FIFO put in the file's place from blocking the open; fstat then refuses it.
fn open_no_symlinks(path: &Path) -> io::Result<File> {
    let flags = libc::O_RDONLY | libc::O_CLOEXEC | libc::O_NOFOLLOW | libc::O_NOCTTY;
    let c = c_path(path)?;
    // SAFETY: open_how is plain data; zeroed is a valid value.
    let mut how: libc::open_how = unsafe { std::mem::zeroed() };
    how.flags = (flags | libc::O_NONBLOCK) as u64;
    how.resolve = libc::RESOLVE_NO_SYMLINKS;
    // SAFETY: c and how are valid for the call; the kernel copies them.
    let fd = unsafe {
        libc::syscall(
            libc::SYS_openat2,
            libc::AT_FDCWD,
            c.as_ptr(),
            &how as *const libc::open_how,
            std::mem::size_of::<libc::open_how>(),
        )
    };
    if fd >= 0 {
        // SAFETY: a fresh descriptor we own.
        return Ok(unsafe { File::from_raw_fd(fd as i32) });
    }
    let err = io::Error::last_os_error();
    if err.raw_os_error() != Some(libc::ENOSYS) {
        return Err(err);
    }
    open_by_components(path, flags | libc::O_NONBLOCK)
}

/// Kernels before 5.6: each directory opened relative to its parent with O_NOFOLLOW.
fn open_by_components(path: &Path, flags: i32) -> io::Result<File> {
    let start = if path.is_absolute() { "/" } else { "." };
    let mut dir = File::open(start)?;
    let parts: Vec<_> = path
        .components()
        .filter(|c| matches!(c, std::path::Component::Normal(_)))
        .collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let c = CString::new(part.as_os_str().as_bytes())
            .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
        let f = if last {
            flags
        } else {
            libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC
        };
        use std::os::unix::io::AsRawFd;
        // SAFETY: dir is an open directory; c a valid C string.
        let fd = unsafe { libc::openat(dir.as_raw_fd(), c.as_ptr(), f) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: a fresh descriptor we own.
        dir = unsafe { File::from_raw_fd(fd) };
    }
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_swapped_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f");
        std::fs::write(&p, b"data").unwrap();
        let md = std::fs::symlink_metadata(&p).unwrap();
        let h = HostFile::walked(p.clone(), &md);
        assert!(h.open(4).is_ok());
        assert!(h
            .open(5)
            .unwrap_err()
            .to_string()
            .contains("changed during the build"));
        std::fs::remove_file(&p).unwrap();
        std::fs::write(dir.path().join("secret"), b"data").unwrap();
        std::os::unix::fs::symlink("secret", &p).unwrap();
        let e = h.open(4).unwrap_err().to_string();
        assert!(e.contains("changed during the build"), "{e}");
        assert!(open_by_components(&p, libc::O_RDONLY | libc::O_NOFOLLOW).is_err());
    }
}
