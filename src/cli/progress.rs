//! What the CLI says while it works, on stderr: on a terminal a spinner with the current stage,
//! which becomes a bar of bytes written / total with rate and ETA once a writer says how much
//! it will write (silent otherwise: scripts, CI, tests); warnings and errors with coloured
//! prefixes, printed above the bar, never through it. `-q` silences warnings and the summary,
//! `-v` prints each stage as a line.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

struct Settings {
    verbosity: Verbosity,
    color: bool,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();
/// The bar on screen, so that messages go above it.
static ACTIVE: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// Sets verbosity and colour once, at start. `color` None is auto: a terminal, and NO_COLOR
/// unset.
pub fn configure(verbosity: Verbosity, color: Option<bool>) {
    let color = color.unwrap_or_else(|| {
        std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
    });
    let _ = SETTINGS.set(Settings { verbosity, color });
}

fn settings() -> &'static Settings {
    SETTINGS.get_or_init(|| Settings {
        verbosity: Verbosity::Normal,
        color: false,
    })
}

pub fn verbosity() -> Verbosity {
    settings().verbosity
}

/// `error:` or `warning:`, coloured when colour is on.
pub fn prefix(kind: &str) -> String {
    if !settings().color {
        return format!("{kind}:");
    }
    let code = if kind == "error" { "1;31" } else { "1;33" };
    format!("\x1b[{code}m{kind}:\x1b[0m")
}

/// Prints a line on stderr above the bar, if one is drawn.
pub fn eprint_line(line: &str) {
    ingot::dsl::end_open_error_line();
    let active = ACTIVE.lock().ok().and_then(|a| a.clone());
    match active {
        Some(bar) => bar.suspend(|| eprintln!("{line}")),
        None => eprintln!("{line}"),
    }
}

pub fn warn(message: &str) {
    if verbosity() != Verbosity::Quiet {
        eprint_line(&format!("{} {message}", prefix("warning")));
    }
}

pub struct Progress {
    bar: Option<ProgressBar>,
    /// Whether the bar shows bytes yet (the first `add_total` switches it from the spinner).
    counting: AtomicBool,
}

const SPINNER: &str = "{spinner} {elapsed:>3} {wide_msg}";
/// The stage last: on a narrow terminal it is cut, not the numbers (a wrapped bar would leave
/// a stale line behind at each redraw).
const BYTES: &str = "{spinner} {elapsed:>3} [{bar:20}] {bytes}/{total_bytes} {percent:>3}% \
                     {binary_bytes_per_sec} ETA {eta} {wide_msg}";

impl Progress {
    pub fn start() -> Self {
        let counting = AtomicBool::new(false);
        if verbosity() != Verbosity::Normal || !std::io::stderr().is_terminal() {
            return Progress {
                bar: None,
                counting,
            };
        }
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template(SPINNER)
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        // Only visible for builds that take a while: the first tick is after one second.
        bar.enable_steady_tick(Duration::from_millis(1000));
        if let Ok(mut active) = ACTIVE.lock() {
            *active = Some(bar.clone());
        }
        Progress {
            bar: Some(bar),
            counting,
        }
    }

    pub fn stage(&self, message: &str) {
        if verbosity() == Verbosity::Verbose {
            eprint_line(&format!("ingot: {message}"));
        }
        if let Some(bar) = &self.bar {
            bar.set_message(message.to_string());
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
            if let Ok(mut active) = ACTIVE.lock() {
                *active = None;
            }
        }
    }
}

impl ingot::context::Progress for Progress {
    fn stage(&self, message: &str) {
        Progress::stage(self, message)
    }

    fn add_total(&self, bytes: u64) {
        let Some(bar) = &self.bar else { return };
        if !self.counting.swap(true, Ordering::Relaxed) {
            bar.set_length(0);
            bar.set_position(0);
            if let Ok(style) = ProgressStyle::with_template(BYTES) {
                bar.set_style(style.progress_chars("=> "));
            }
        }
        bar.inc_length(bytes);
    }

    // indicatif counts in an atomic and redraws at most a few times a second: cheap enough
    // to call per file or per chunk.
    fn advance(&self, bytes: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(bytes);
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        // A failed build must not leave its spinner line under the error.
        self.finish();
    }
}
