//! Nothing is left behind: every temporary path a build makes is registered here and removed
//! when its guard drops, when the build fails, or when the process is interrupted (Ctrl-C,
//! SIGTERM, SIGHUP).

use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

static REGISTRY: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
static HANDLER: Once = Once::new();

fn remove(path: &Path) {
    let _ = if path.is_dir() {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    };
}

/// Installs the interrupt handler (once): it removes every registered path, then exits with
/// status 130 as a shell does for SIGINT.
pub fn install_interrupt_handler() {
    HANDLER.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            if let Ok(paths) = REGISTRY.lock() {
                for p in paths.iter() {
                    remove(p);
                }
            }
            eprintln!("ingot: interrupted; temporary files removed, nothing written");
            std::process::exit(130);
        });
    });
}

/// Removes its path when dropped, unless [`TempGuard::keep`] was called.
#[derive(Debug)]
pub struct TempGuard {
    path: Option<PathBuf>,
}

impl TempGuard {
    /// Registers `path` for removal.
    pub fn new(path: PathBuf) -> Self {
        if let Ok(mut paths) = REGISTRY.lock() {
            paths.push(path.clone());
        }
        TempGuard { path: Some(path) }
    }

    pub fn path(&self) -> &Path {
        self.path.as_deref().unwrap_or(Path::new(""))
    }

    /// Stops tracking the path (it became the final output).
    pub fn keep(mut self) {
        if let Some(p) = self.path.take() {
            unregister(&p);
        }
    }
}

fn unregister(path: &Path) {
    if let Ok(mut paths) = REGISTRY.lock() {
        paths.retain(|p| p != path);
    }
}

impl Drop for TempGuard {
    fn drop(&mut self) {
        if let Some(p) = self.path.take() {
            remove(&p);
            unregister(&p);
        }
    }
}

/// A private scratch directory beside the destination (same file system, so large temporary
/// files cost no copy). While it lives, TMPDIR points into it, so every temporary file any part
/// of ingot makes (with the `tempfile` crate or an external tool) is inside and goes with it.
#[derive(Debug)]
pub struct Scratch {
    guard: TempGuard,
    previous_tmpdir: Option<std::ffi::OsString>,
}

impl Scratch {
    pub fn new_in(parent: &Path) -> std::io::Result<Scratch> {
        let dir = tempfile::Builder::new()
            .prefix(".ingot-scratch-")
            .tempdir_in(parent)?
            .keep();
        let guard = TempGuard::new(dir.clone());
        let previous_tmpdir = std::env::var_os("TMPDIR");
        // Single-threaded at this point of a build; child processes inherit it too.
        std::env::set_var("TMPDIR", &dir);
        Ok(Scratch {
            guard,
            previous_tmpdir,
        })
    }

    pub fn path(&self) -> &Path {
        self.guard.path()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        match self.previous_tmpdir.take() {
            Some(v) => std::env::set_var("TMPDIR", v),
            None => std::env::remove_var("TMPDIR"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guard_removes_unless_kept() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        std::fs::write(&a, b"x").unwrap();
        drop(TempGuard::new(a.clone()));
        assert!(!a.exists());
        let b = dir.path().join("b");
        std::fs::write(&b, b"x").unwrap();
        TempGuard::new(b.clone()).keep();
        assert!(b.exists());
    }
}
