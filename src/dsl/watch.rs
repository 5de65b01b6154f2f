//! The watchdog over one evaluation: it stops the Steel VM when the time or memory limit is
//! passed, and keeps what Steel prints for its own debugging (e.g. the bytecode it dumps on
//! a stack overflow) off the user's stdout and stderr.

use std::fs::File;
use std::io::Write;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use steel::steel_vm::engine::Engine;

use super::bounds::{Budget, Limits};
use super::diagnose::location_in;
use super::engine::{lock, SharedRef};
use crate::alloc_count::{count_on_this_thread, Counting};

/// Why the watchdog stopped an evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stopped {
    Time,
    Memory,
}

const NOT_STOPPED: u8 = 0;
const STOPPED_TIME: u8 = 1;
const STOPPED_MEMORY: u8 = 2;

/// How often the watchdog looks at the clock and the counter.
const TICK: Duration = Duration::from_millis(5);

/// How long the VM may take to stop once told to (and to free what it built). Steel checks
/// only while running bytecode: while it expands macros or compiles (a macro that expands
/// forever) it cannot be stopped, and ingot exits instead — at once if, meanwhile, memory
/// reaches twice the limit.
const GRACE: Duration = Duration::from_secs(10);

/// Alive while an evaluation runs; dropping it stops the watchdog and restores the outputs.
pub(crate) struct Watch {
    done: Arc<AtomicBool>,
    stopped: Arc<AtomicU8>,
    thread: Option<JoinHandle<()>>,
    /// Lets the VM run again (Steel's controller type is not public).
    resume: Box<dyn Fn()>,
    _counting: Counting,
    _quiet: Quiet,
}

impl Watch {
    pub(crate) fn start(
        engine: &Engine,
        limits: Limits,
        budget: &Arc<Budget>,
        name: &str,
        shared: &SharedRef,
    ) -> Watch {
        let controller = engine.get_thread_state_controller();
        controller.resume();
        budget.limit.store(limits.memory, Ordering::Relaxed);
        budget.used.store(0, Ordering::Relaxed);
        let counting = count_on_this_thread(budget.used.clone());
        let done = Arc::new(AtomicBool::new(false));
        let stopped = Arc::new(AtomicU8::new(NOT_STOPPED));
        let thread = {
            let (done, stopped, controller) = (done.clone(), stopped.clone(), controller.clone());
            let used: Arc<AtomicI64> = budget.used.clone();
            let (name, shared) = (name.to_string(), shared.clone());
            let start = Instant::now();
            std::thread::Builder::new()
                .name("ingot-eval-watchdog".into())
                .spawn(move || {
                    while !done.load(Ordering::Relaxed) {
                        let over_time = limits.timeout.is_some_and(|t| start.elapsed() >= t);
                        let over_memory = u64::try_from(used.load(Ordering::Relaxed))
                            .is_ok_and(|u| u > limits.memory);
                        if over_time || over_memory {
                            stopped.store(
                                if over_time {
                                    STOPPED_TIME
                                } else {
                                    STOPPED_MEMORY
                                },
                                Ordering::Relaxed,
                            );
                            controller.interrupt();
                            let told = Instant::now();
                            while !done.load(Ordering::Relaxed) {
                                let held = u64::try_from(used.load(Ordering::Relaxed));
                                let runaway = held.is_ok_and(|u| u / 2 > limits.memory);
                                if told.elapsed() >= GRACE || runaway {
                                    stuck(&name, &shared, over_time, limits);
                                }
                                std::thread::park_timeout(TICK);
                            }
                            return;
                        }
                        std::thread::park_timeout(TICK);
                    }
                })
                .ok()
        };
        Watch {
            done,
            stopped,
            thread,
            resume: Box::new(move || controller.resume()),
            _counting: counting,
            _quiet: Quiet::start(),
        }
    }

    /// Whether (and why) the watchdog stopped the evaluation.
    pub(crate) fn stopped(&self) -> Option<Stopped> {
        match self.stopped.load(Ordering::Relaxed) {
            STOPPED_TIME => Some(Stopped::Time),
            STOPPED_MEMORY => Some(Stopped::Memory),
            _ => None,
        }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            thread.thread().unpark();
            let _ = thread.join();
        }
        // The next evaluation must not start interrupted.
        (self.resume)();
    }
}

/// Steel did not stop: say where it was and exit, the only way to stop it.
fn stuck(name: &str, shared: &SharedRef, over_time: bool, limits: Limits) -> ! {
    let at = lock(shared)
        .current_form
        .as_ref()
        .map(|(src, offset)| location_in(src, *offset).to_string())
        .unwrap_or_else(|| name.to_string());
    let why = if over_time {
        format!(
            "evaluation stopped after {} s while expanding or compiling this form — a macro that expands forever?",
            limits.timeout.map(|t| t.as_secs()).unwrap_or_default()
        )
    } else {
        format!(
            "evaluation stopped: expanding or compiling this form used more than {} MiB of memory — a macro that expands forever?",
            limits.memory >> 20
        )
    };
    user_error(&format!("error: {at}: {why}\n"));
    std::process::exit(1);
}

/// stdout and stderr as they were before the first `Quiet`, while one is alive; the
/// definition's own `display` writes there (`user_output`).
struct Saved {
    count: usize,
    stdout: Option<File>,
    stderr: Option<OwnedFd>,
}

static SAVED: Mutex<Saved> = Mutex::new(Saved {
    count: 0,
    stdout: None,
    stderr: None,
});

/// Points fds 1 and 2 at /dev/null while alive (counted: evaluations on several threads
/// share one redirection).
struct Quiet;

impl Quiet {
    fn start() -> Quiet {
        let mut saved = SAVED.lock().unwrap_or_else(|e| e.into_inner());
        saved.count += 1;
        if saved.count == 1 {
            let _ = std::io::stdout().flush();
            let null = File::options().write(true).open("/dev/null");
            // SAFETY: dup and dup2 on the process's own standard descriptors; the results are
            // checked and owned.
            unsafe {
                let out = libc::dup(1);
                let err = libc::dup(2);
                if let (Ok(null), true, true) = (null, out >= 0, err >= 0) {
                    saved.stdout = Some(File::from_raw_fd(out));
                    saved.stderr = Some(OwnedFd::from_raw_fd(err));
                    libc::dup2(null.as_raw_fd(), 1);
                    libc::dup2(null.as_raw_fd(), 2);
                } else {
                    for fd in [out, err] {
                        if fd >= 0 {
                            libc::close(fd);
                        }
                    }
                }
            }
        }
        Quiet
    }
}

impl Drop for Quiet {
    fn drop(&mut self) {
        let mut saved = SAVED.lock().unwrap_or_else(|e| e.into_inner());
        saved.count -= 1;
        if saved.count == 0 {
            // Whatever Steel left in Rust's stdout buffer goes to /dev/null too.
            let _ = std::io::stdout().flush();
            if let (Some(out), Some(err)) = (saved.stdout.take(), saved.stderr.take()) {
                // SAFETY: restoring the descriptors saved by `Quiet::start`.
                unsafe {
                    libc::dup2(out.as_raw_fd(), 1);
                    libc::dup2(err.as_raw_fd(), 2);
                }
            }
        }
    }
}

/// Writes to the real stderr, also while a `Quiet` is alive.
fn user_error(text: &str) {
    let saved = SAVED.lock().unwrap_or_else(|e| e.into_inner());
    match saved.stderr.as_ref() {
        Some(err) => {
            // SAFETY: writing to the saved descriptor, which `saved` keeps open.
            unsafe { libc::write(err.as_raw_fd(), text.as_ptr().cast(), text.len()) };
        }
        None => eprint!("{text}"),
    }
}

/// Where a definition's own output (`display`, `write`, `newline`) goes when it names no port
/// or `(current-output-port)`: stderr, so that it never mixes with what ingot prints on stdout
/// (`show --json` must stay JSON); the REPL, whose stdout is the conversation, says stdout.
static DEFAULT_OUTPUT_IS_STDOUT: AtomicBool = AtomicBool::new(false);

/// Sends the definitions' default output to stdout (the REPL) or stderr (every other command).
pub fn set_default_output_stdout(stdout: bool) {
    DEFAULT_OUTPUT_IS_STDOUT.store(stdout, Ordering::Relaxed);
}

/// The Guile port a definition printed to, as ingot knows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UserPort {
    /// No port, `#t` or `(current-output-port)`.
    Output,
    /// `(current-error-port)` or `(current-warning-port)`.
    Error,
}

/// Which real stream a definition's output went to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stream {
    Stdout,
    Stderr,
}

/// Writes what a definition prints to the real stdout or stderr (also while a `Quiet` is
/// alive), as [`UserPort`] and [`set_default_output_stdout`] say; returns which.
pub(crate) fn user_output(port: UserPort, text: &str) -> Stream {
    if port == UserPort::Error || !DEFAULT_OUTPUT_IS_STDOUT.load(Ordering::Relaxed) {
        user_error(text);
        return Stream::Stderr;
    }
    let mut saved = SAVED.lock().unwrap_or_else(|e| e.into_inner());
    // A closed stdout is not the definition's fault: printing is best effort.
    match saved.stdout.as_mut() {
        Some(out) => {
            let _ = out.write_all(text.as_bytes());
        }
        None => {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes());
            let _ = out.flush();
        }
    }
    Stream::Stdout
}
