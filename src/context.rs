//! What a build runs with, passed explicitly to every stage: the options of the command line
//! ([`BuildOptions`]) and, while writing, the [`BuildCtx`] — scratch directory, time stamp,
//! identifier source, progress and cancellation. Nothing here reads or changes the process
//! environment while a build runs (SOURCE_DATE_EPOCH is read once, by `with_env`).

use std::path::Path;

use crate::content::Owners;
use crate::error::BuildError;
use crate::fs::ext::ExtBackend;
use crate::plan::{IdSource, MIB};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Seeds every identifier; defaults to one derived from the image itself.
    pub seed: Option<String>,
    /// SOURCE_DATE_EPOCH: clamps file times and stamps what ingot writes.
    pub source_date_epoch: Option<i64>,
    pub ext_backend: ExtBackend,
    /// Whose owners the image's files get (`--owners`).
    pub owners: Owners,
    pub alignment: u64,
    /// docker: write an OCI image layout instead of a docker-archive.
    pub oci: bool,
    /// `show`: plan without content ingot cannot have and without running any tool; what
    /// build will need is a warning (see `populate::need`).
    pub dry_run: bool,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            seed: None,
            source_date_epoch: None,
            ext_backend: ExtBackend::Native,
            owners: Owners::Auto,
            alignment: MIB,
            oci: false,
            dry_run: false,
        }
    }
}

impl BuildOptions {
    /// Reads SOURCE_DATE_EPOCH from the environment when it is set and valid.
    pub fn with_env(mut self) -> Result<Self, BuildError> {
        if self.source_date_epoch.is_none() {
            if let Ok(v) = std::env::var("SOURCE_DATE_EPOCH") {
                let epoch = v.trim().parse::<i64>().map_err(|_| {
                    BuildError::Input(format!(
                        "SOURCE_DATE_EPOCH={v:?} is not a number of seconds since 1970"
                    ))
                })?;
                self.source_date_epoch = Some(epoch);
            }
        }
        Ok(self)
    }

    /// What ingot stamps on what it generates: SOURCE_DATE_EPOCH, else 1 (as Guix's tarballs).
    pub fn timestamp(&self) -> i64 {
        self.source_date_epoch.unwrap_or(1)
    }
}

/// What a build reports while it writes: stages as lines, and bytes written of a known total.
/// Writers call `add_total` for what they are about to write and `advance` as they write it.
pub trait Progress: Sync {
    fn stage(&self, message: &str);
    /// `bytes` more will be written (a writer adds its part before it starts).
    fn add_total(&self, _bytes: u64) {}
    /// `bytes` more were written.
    fn advance(&self, _bytes: u64) {}
}

/// A progress that shows nothing (tests, library callers).
pub struct NoProgress;

impl Progress for NoProgress {
    fn stage(&self, _message: &str) {}
}

/// Adds up what writers report (tests; callers that want the totals without a display).
#[derive(Debug, Default)]
pub struct CountingProgress {
    pub total: std::sync::atomic::AtomicU64,
    pub done: std::sync::atomic::AtomicU64,
}

impl CountingProgress {
    /// (total, done) so far.
    pub fn counts(&self) -> (u64, u64) {
        use std::sync::atomic::Ordering::Relaxed;
        (self.total.load(Relaxed), self.done.load(Relaxed))
    }
}

impl Progress for CountingProgress {
    fn stage(&self, _message: &str) {}
    fn add_total(&self, bytes: u64) {
        self.total
            .fetch_add(bytes, std::sync::atomic::Ordering::Relaxed);
    }
    fn advance(&self, bytes: u64) {
        self.done
            .fetch_add(bytes, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Stages passed to a closure (the library's former `progress: &dyn Fn(&str)`).
pub struct StageFn<F: Fn(&str) + Sync>(pub F);

impl<F: Fn(&str) + Sync> Progress for StageFn<F> {
    fn stage(&self, message: &str) {
        (self.0)(message)
    }
}

/// Everything a writer needs besides the plan, passed explicitly.
pub struct BuildCtx<'a> {
    /// A private directory beside the destination for temporary files (same file system, so
    /// large ones cost no copy); removed with everything in it when the build ends or is
    /// interrupted.
    pub scratch: &'a Path,
    /// Every time stamp ingot writes itself.
    pub timestamp: i64,
    /// Every identifier the writers derive (hash seeds).
    pub ids: IdSource,
    pub progress: &'a dyn Progress,
    pub options: &'a BuildOptions,
}

impl BuildCtx<'_> {
    /// Cancellation: Ctrl-C sets the flag; writers check it between pieces of work.
    pub fn check_cancelled(&self) -> Result<(), BuildError> {
        if crate::cleanup::interrupted() {
            return Err(BuildError::Interrupted);
        }
        Ok(())
    }
}
