//! Nothing is left behind: every temporary path a build makes is registered here and removed
//! when its guard drops, when the build fails, or when the process is interrupted (Ctrl-C,
//! SIGTERM, SIGHUP). Temporary names carry the owning pid, so what a killed run (SIGKILL, power
//! loss) leaves is recognised and removed by the next run in the same directory.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, Once};

/// The temporary paths to remove, and the outputs committed so far (to tell the truth when
/// an interrupt comes after one was renamed into place).
struct Registry {
    temporary: Vec<PathBuf>,
    committed: Vec<PathBuf>,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    temporary: Vec::new(),
    committed: Vec::new(),
});
static HANDLER: Once = Once::new();
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

fn registry() -> std::sync::MutexGuard<'static, Registry> {
    REGISTRY
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Whether an interrupt is being handled: the thread that sees its work fail because of it
/// must not report that failure or exit; the handler does both.
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

/// Called by a thread whose work failed or finished during an interrupt: waits for the
/// handler to end the process.
pub fn wait_if_interrupted() {
    while interrupted() {
        std::thread::park();
    }
}

/// Renames a finished temporary file into place, unless an interrupt is being handled; the
/// rename and the interrupt exclude each other, so the handler knows whether it happened.
pub fn commit_rename(from: &Path, to: &Path) -> std::io::Result<()> {
    let mut reg = registry();
    if interrupted() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::Interrupted,
            "interrupted",
        ));
    }
    std::fs::rename(from, to)?;
    reg.temporary.retain(|p| p != from);
    reg.committed.push(to.to_path_buf());
    Ok(())
}

/// The prefix of a scratch directory; the pid and a random part follow.
const SCRATCH_PREFIX: &str = ".ingot-scratch-";
/// What follows an output's name in its temporary file: `.NAME.ingot-PID-RANDOM`.
const TEMP_MARK: &str = ".ingot-";

fn remove(path: &Path) -> std::io::Result<()> {
    let md = match std::fs::symlink_metadata(path) {
        Ok(md) => md,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    if md.is_dir() {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    }
}

/// Removes a path another thread may still be writing into: a directory is first renamed
/// away (so nothing more is created under its old name), then removed, retried while entries
/// appear. True when nothing is left.
fn remove_contended(path: &Path) -> bool {
    let mut target = path.to_path_buf();
    if path.is_dir() {
        let mut doomed = path.as_os_str().to_owned();
        doomed.push("gone");
        if std::fs::rename(path, &doomed).is_ok() {
            target = PathBuf::from(doomed);
        }
    }
    for _ in 0..50 {
        if remove(&target).is_ok() && std::fs::symlink_metadata(&target).is_err() {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    false
}

/// Stops the children and removes every registered path; returns those that could not be
/// removed and the outputs already committed.
fn remove_registered() -> (Vec<PathBuf>, Vec<PathBuf>) {
    let (paths, committed) = {
        let reg = registry();
        // From here on no commit happens and no failing thread reports or exits.
        INTERRUPTED.store(true, Ordering::SeqCst);
        (reg.temporary.clone(), reg.committed.clone())
    };
    // Children first: a dying tool must not recreate a file after it was removed.
    crate::child::kill_all();
    let left = paths.into_iter().filter(|p| !remove_contended(p)).collect();
    (left, committed)
}

/// Installs the interrupt handler (once): it stops the children, removes every registered
/// path, says what it did, then exits with status 130 as a shell does for SIGINT.
pub fn install_interrupt_handler() {
    HANDLER.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            let (left, committed) = remove_registered();
            for p in &left {
                eprintln!("ingot: interrupted; could not remove {}", p.display());
            }
            for p in &committed {
                eprintln!("ingot: interrupted; {} was already written", p.display());
            }
            if left.is_empty() && committed.is_empty() {
                eprintln!("ingot: interrupted; temporary files removed, nothing written");
            } else if left.is_empty() {
                eprintln!("ingot: interrupted; temporary files removed");
            }
            std::process::exit(130);
        });
    });
}

/// The prefix of a temporary file for the output `name`, with this process's pid.
pub fn temp_prefix(name: &str) -> String {
    format!(".{name}{TEMP_MARK}{}-", std::process::id())
}

/// The prefix of a scratch directory, with this process's pid.
pub fn scratch_prefix() -> String {
    format!("{SCRATCH_PREFIX}{}-", std::process::id())
}

/// The pid in a name ingot gives its temporary files, if `name` is one.
fn owner_pid(name: &str) -> Option<u32> {
    let rest = if let Some(rest) = name.strip_prefix(SCRATCH_PREFIX) {
        rest
    } else {
        let name = name.strip_prefix('.')?;
        let at = name.rfind(TEMP_MARK)?;
        if at == 0 {
            return None;
        }
        &name[at + TEMP_MARK.len()..]
    };
    let (pid, random) = rest.split_once('-')?;
    let random = random.strip_suffix("gone").unwrap_or(random);
    let well_formed = !pid.is_empty()
        && pid.bytes().all(|b| b.is_ascii_digit())
        && !random.is_empty()
        && random.bytes().all(|b| b.is_ascii_alphanumeric());
    if !well_formed {
        return None;
    }
    pid.parse().ok()
}

/// Whether process `pid` is gone (not merely someone else's).
fn process_gone(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        return false;
    }
    // SAFETY: signal 0 only checks that the process exists; nothing is sent.
    let r = unsafe { libc::kill(pid, 0) };
    r != 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH)
}

/// Removes, in `dir`, the temporary files and scratch directories of ingot runs whose process
/// is gone; returns what was removed. Only this user's entries are touched.
pub fn remove_stale(dir: &Path) -> Vec<PathBuf> {
    use std::os::unix::fs::MetadataExt;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    // SAFETY: getuid cannot fail.
    let uid = unsafe { libc::getuid() };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(owner_pid) else {
            continue;
        };
        let path = entry.path();
        let mine = std::fs::symlink_metadata(&path).is_ok_and(|md| md.uid() == uid);
        if mine && process_gone(pid) && remove(&path).is_ok() {
            removed.push(path);
        }
    }
    removed
}

/// Removes its path when dropped, unless [`TempGuard::keep`] was called.
#[derive(Debug)]
pub struct TempGuard {
    path: Option<PathBuf>,
}

impl TempGuard {
    /// Registers `path` for removal.
    pub fn new(path: PathBuf) -> Self {
        registry().temporary.push(path.clone());
        TempGuard { path: Some(path) }
    }

    /// Makes a temporary path with `make` and registers it under the registry's lock: the
    /// interrupt handler takes that lock first, so it cannot run between the two and leave
    /// the new path behind (`new` after creating leaves a window). `make` must not register.
    pub fn create<T>(
        make: impl FnOnce() -> std::io::Result<(T, PathBuf)>,
    ) -> std::io::Result<(T, TempGuard)> {
        let mut reg = registry();
        let (made, path) = make()?;
        reg.temporary.push(path.clone());
        Ok((made, TempGuard { path: Some(path) }))
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
    registry().temporary.retain(|p| p != path);
}

impl Drop for TempGuard {
    fn drop(&mut self) {
        if let Some(p) = self.path.take() {
            let _ = remove(&p);
            unregister(&p);
        }
    }
}

/// A private scratch directory beside the destination (same file system, so large temporary
/// files cost no copy). The build passes its path explicitly (`BuildCtx::scratch`) to whatever
/// makes temporary files; the process environment is never changed.
#[derive(Debug)]
pub struct Scratch {
    guard: TempGuard,
}

impl Scratch {
    pub fn new_in(parent: &Path) -> std::io::Result<Scratch> {
        let ((), guard) = TempGuard::create(|| {
            let dir = tempfile::Builder::new()
                .prefix(&scratch_prefix())
                .tempdir_in(parent)?
                .keep();
            Ok(((), dir))
        })?;
        Ok(Scratch { guard })
    }

    pub fn path(&self) -> &Path {
        self.guard.path()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_created_path_is_registered_before_the_registry_can_be_read_without_it() {
        // What the interrupt handler would see if it ran while the file was being made.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("made");
        let (tx, rx) = std::sync::mpsc::channel();
        let mut reader = None;
        let ((), guard) = TempGuard::create(|| {
            std::fs::write(&path, b"x")?;
            let seen = path.clone();
            reader = Some(std::thread::spawn(move || {
                tx.send(()).unwrap();
                registry().temporary.contains(&seen)
            }));
            rx.recv().unwrap();
            std::thread::sleep(std::time::Duration::from_millis(50));
            Ok(((), path.clone()))
        })
        .unwrap();
        assert!(reader.unwrap().join().unwrap());
        drop(guard);
        assert!(!path.exists());
    }

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

    #[test]
    fn temporary_names_give_their_pid() {
        assert_eq!(owner_pid(".ingot-scratch-123-AbC9x"), Some(123));
        assert_eq!(owner_pid(".ingot-scratch-123-AbC9xgone"), Some(123));
        assert_eq!(owner_pid(".out.img.ingot-42-Zz0"), Some(42));
        assert_eq!(owner_pid(".a.ingot-b.ingot-7-q1"), Some(7));
        for other in [
            "out.img",
            ".ingot-",
            ".ingot-1-x",
            ".out.img.ingot-x-1",
            ".out.img.ingot-1-",
            ".out.img.ingot-1-a/b",
            ".ingot-scratch--x",
        ] {
            assert_eq!(owner_pid(other), None, "{other}");
        }
        let mine = format!("{}abc", temp_prefix("x.img"));
        assert_eq!(owner_pid(&mine), Some(std::process::id()));
        let scratch = format!("{}abc", scratch_prefix());
        assert_eq!(owner_pid(&scratch), Some(std::process::id()));
    }

    #[test]
    fn stale_files_of_gone_processes_are_removed_and_live_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        // A process that has exited and been reaped: its pid is gone (until reused, when
        // the file is merely kept).
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let stale_file = dir.path().join(format!(".x.img.ingot-{dead}-abc"));
        let stale_dir = dir.path().join(format!(".ingot-scratch-{dead}-abc"));
        std::fs::write(&stale_file, b"x").unwrap();
        std::fs::create_dir_all(stale_dir.join("sub")).unwrap();
        let live = dir.path().join(format!("{}abc", temp_prefix("y.img")));
        let unrelated = dir.path().join("keep.img");
        std::fs::write(&live, b"x").unwrap();
        std::fs::write(&unrelated, b"x").unwrap();
        let removed = remove_stale(dir.path());
        if process_gone(dead) {
            assert_eq!(removed.len(), 2, "{removed:?}");
            assert!(!stale_file.exists() && !stale_dir.exists());
        }
        assert!(live.exists() && unrelated.exists());
    }
}
