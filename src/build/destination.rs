//! Writing the output atomically: a temporary file beside the destination, fsync'd and renamed
//! over it only when complete. A failure or interrupt leaves the destination untouched.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use crate::cleanup::TempGuard;

#[derive(Debug)]
pub struct Destination {
    final_path: PathBuf,
    file: File,
    guard: TempGuard,
}

impl Destination {
    /// Creates the temporary file next to `final_path`.
    pub fn create(final_path: &Path) -> io::Result<Destination> {
        let parent = match final_path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = final_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "image".into());
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{name}.ingot-"))
            .tempfile_in(&parent)?;
        let (file, path) = temp.keep().map_err(|e| e.error)?;
        // tempfile creates 0600; an image gets the usual 0666 less the umask.
        use std::os::unix::fs::PermissionsExt;
        // SAFETY: umask only swaps the process's mask; it is restored at once.
        let mask = unsafe {
            let m = libc::umask(0o022);
            libc::umask(m);
            m
        };
        file.set_permissions(std::fs::Permissions::from_mode(0o666 & !(mask as u32)))?;
        Ok(Destination {
            final_path: final_path.to_path_buf(),
            file,
            guard: TempGuard::new(path),
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
        std::fs::rename(self.guard.path(), &self.final_path)?;
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
}
