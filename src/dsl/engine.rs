//! The Steel engine: created once per `Dsl`, with ingot's Rust primitives and the prelude.

use super::modules::{place, Placed};
use std::collections::HashMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use steel::rerrs::{ErrorKind, SteelErr};
use steel::steel_vm::engine::Engine;
use steel::SteelVal;

use super::compile_lock::compile_and_run;
use super::tree::{make_op, OpArgs};
use super::value::{self, layout, render, RawSpan};
use super::watch::UserPort;
use crate::model::TreeOp;

/// The prelude, in load order: each file may use what the ones before it define.
pub(crate) const PRELUDE: &[(&str, &str)] = &[
    ("base.scm", include_str!("../../scheme/base.scm")),
    ("records.scm", include_str!("../../scheme/records.scm")),
    ("system.scm", include_str!("../../scheme/system.scm")),
    ("image.scm", include_str!("../../scheme/image.scm")),
    ("boards.scm", include_str!("../../scheme/boards.scm")),
    ("tree.scm", include_str!("../../scheme/tree.scm")),
];

/// A record error raised by the prelude, with what the message needs.
#[derive(Debug, Clone)]
pub(crate) struct RecordFailure {
    pub kind: String,
    pub record: String,
    pub field: Option<String>,
    pub value: Option<String>,
    pub message: String,
    pub span: Option<RawSpan>,
    pub clause_span: Option<RawSpan>,
    /// A hint the check gave (a did-you-mean), instead of the one `record_hint` finds.
    pub hint: Option<String>,
    /// The text of the SteelErr that carried it, to recognise it when it comes back.
    pub token: String,
}

/// State shared between the Rust primitives (which Steel wants `Send + Sync`) and `Dsl`.
#[derive(Debug, Default)]
pub(crate) struct Shared {
    /// Directory relative file names are taken from: the definition's, or the current one.
    pub base_dir: PathBuf,
    /// The file being evaluated, for `(current-filename)`.
    pub current_file: Option<PathBuf>,
    pub record_failure: Option<RecordFailure>,
    pub trees: HashMap<i128, Vec<TreeOp>>,
    /// The form being evaluated (its text and start), for the watchdog's message when Steel
    /// cannot be stopped.
    pub current_form: Option<(Arc<super::SourceText>, usize)>,
    /// Warnings raised while a form runs (`file-exists?` of a host path answered #f, a
    /// missing file in kept clauses), given their own span's location (`%warn-at`) or the
    /// form's once it ran.
    pub pending_warnings: Vec<(String, Option<RawSpan>)>,
    /// The definition's own directories, canonical (`modules::own_tree`): the load path's
    /// and their git work trees, which `file-exists?` answers truly for.
    pub input_dirs: Vec<PathBuf>,
    /// The load path: the directories whose Scheme sources a definition may read, as
    /// `include` does (`%read-source-file`).
    pub source_dirs: Vec<PathBuf>,
}

/// The largest Scheme source a definition may read as text (a config's own template).
const MAX_READ_FILE: u64 = 16 << 20;

pub(crate) type SharedRef = Arc<Mutex<Shared>>;

pub(crate) fn lock(shared: &SharedRef) -> MutexGuard<'_, Shared> {
    // A panic while holding the lock cannot leave Shared inconsistent in a way that matters
    // (each field is replaced whole), so a poisoned lock is still usable.
    shared.lock().unwrap_or_else(|e| e.into_inner())
}

fn error(message: impl Into<String>) -> SteelErr {
    SteelErr::new(ErrorKind::Generic, message.into())
}

fn register(
    engine: &mut Engine,
    name: &str,
    f: impl Fn(&[SteelVal]) -> steel::rvals::Result<SteelVal> + Send + Sync + 'static,
) {
    engine.register_value(name, SteelVal::anonymous_boxed_function(Arc::new(f)));
}

fn string_arg<'a>(who: &str, args: &'a [SteelVal], i: usize) -> steel::rvals::Result<&'a str> {
    args.get(i).and_then(value::as_str).ok_or_else(|| {
        error(format!(
            "{who}: argument {} must be a string, got {}",
            i + 1,
            args.get(i).map(render).unwrap_or_else(|| "nothing".into())
        ))
    })
}

/// `dirs` for a message: the -L directories, the file's own and the work trees holding them.
fn shown_dirs(dirs: &[PathBuf]) -> String {
    if dirs.is_empty() {
        return "none".to_string();
    }
    dirs.iter()
        .map(|d| d.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn opt_symbol(v: Option<&SteelVal>) -> Option<String> {
    v.and_then(value::as_symbol).map(str::to_string)
}

/// Makes the engine ingot evaluates in: Steel's standard environment, ingot's primitives, the
/// prelude.
pub(crate) fn new_engine(
    shared: &SharedRef,
    budget: &Arc<super::bounds::Budget>,
) -> Result<Engine, SteelErr> {
    // Steel's primitives, sandboxed, and its core library (stdlib.scm) are all the prelude
    // needs; the full `Engine::new()` also loads contracts, printing and ports, ~60 ms more
    // at start-up.
    let mut engine = super::sandbox::new_sandboxed_engine(budget)?;
    super::bounds::register_checks(&mut engine, budget)?;

    let s = shared.clone();
    // (%record-error kind record field value message span clause-span [hint])
    register(&mut engine, "%record-error", move |args| {
        let get = |i: usize| args.get(i).cloned().unwrap_or(SteelVal::Void);
        let kind = opt_symbol(args.first()).unwrap_or_else(|| "field".into());
        let record = opt_symbol(args.get(1)).unwrap_or_else(|| "record".into());
        let field = opt_symbol(args.get(2));
        let value = match get(3) {
            SteelVal::Void => None,
            v => Some(render(&v)),
        };
        let message = value::as_str(&get(4)).unwrap_or("invalid").to_string();
        let token = format!("{record}: {message}");
        let failure = RecordFailure {
            kind,
            record,
            field,
            value,
            message,
            span: value::as_span(&get(5)),
            clause_span: value::as_span(&get(6)),
            hint: value::as_str(&get(7)).map(str::to_string),
            token: token.clone(),
        };
        lock(&s).record_failure = Some(failure);
        Err(error(token))
    });

    // (%closest NAME CANDIDATES): the candidate (a string or symbol) a few edits from NAME,
    // as a string, or #f: for the did-you-mean of a value that must be one of a list.
    register(&mut engine, "%closest", |args| {
        let text = |v: &SteelVal| {
            value::as_str(v)
                .or_else(|| value::as_symbol(v))
                .map(str::to_string)
        };
        let name = args.first().and_then(text).unwrap_or_default();
        let candidates: Vec<String> = args
            .get(1)
            .and_then(value::list_items)
            .unwrap_or_default()
            .iter()
            .filter_map(text)
            .collect();
        Ok(
            match super::diagnose::closest(&name, candidates.iter().map(String::as_str)) {
                Some(c) => SteelVal::StringV(c.to_string().into()),
                None => SteelVal::BoolV(false),
            },
        )
    });

    // Output for the user's own debugging prints (Steel's print module is not loaded), to
    // the port given (see `emit`).
    register(&mut engine, "display", |args| {
        print_value("display", args, false, false)
    });
    register(&mut engine, "displayln", |args| {
        print_value("displayln", args, false, true)
    });
    register(&mut engine, "write", |args| {
        print_value("write", args, true, false)
    });
    register(&mut engine, "newline", |args| {
        emit("newline", args.first(), "\n")?;
        Ok(SteelVal::Void)
    });
    // (%opaque-failure? MESSAGE): whether an error's message is a builtin given a placeholder.
    register(&mut engine, "%opaque-failure?", |args| {
        let message = string_arg("%opaque-failure?", args, 0)?;
        Ok(SteelVal::BoolV(super::diagnose::shows_placeholder(message)))
    });
    register(&mut engine, "%output-port?", |args| {
        Ok(SteelVal::BoolV(args.first().is_some_and(|v| {
            matches!(v, SteelVal::PortV(_)) || known_port(v).is_some()
        })))
    });

    // (%fail MESSAGE ARG …): an error with MESSAGE and the ARGs as written, separated by
    // spaces (strings as they are, other values in their written form). Steel's `error`
    // shows a string escaped, so a quoted value in a message would read \"like this\".
    register(&mut engine, "%fail", |args| {
        let parts: Vec<String> = args
            .iter()
            .map(|a| {
                value::as_str(a)
                    .map(str::to_string)
                    .unwrap_or_else(|| render(a))
            })
            .collect();
        Err(error(parts.join(" ")))
    });

    // A symbol as Guile's display and write print it (`#{a b}#`), for `format`.
    register(&mut engine, "%write-symbol", |args| {
        let mut out = String::new();
        if let Some(SteelVal::SymbolV(s)) = args.first() {
            value::write_symbol(s.as_str(), &mut out);
        }
        Ok(SteelVal::StringV(out.into()))
    });

    register(&mut engine, "%write-string", |args| {
        Ok(SteelVal::StringV(
            args.first().map(render).unwrap_or_default().into(),
        ))
    });

    let s = shared.clone();
    register(&mut engine, "%resolve-path", move |args| {
        let file = string_arg("local-file", args, 0)?;
        let base = lock(&s).base_dir.clone();
        let path = if Path::new(file).is_absolute() {
            PathBuf::from(file)
        } else {
            base.join(file)
        };
        Ok(SteelVal::StringV(
            path.to_string_lossy().into_owned().into(),
        ))
    });

    register(&mut engine, "%file-exists?", |args| {
        let path = string_arg("local-file", args, 0)?;
        Ok(SteelVal::BoolV(std::fs::symlink_metadata(path).is_ok()))
    });

    // Guile's file-exists? and file-is-directory?: true answers inside the load path (the
    // definition's own files, which it may include anyway); elsewhere a definition does not
    // look at the host (the answer would depend on the machine building), so the host is
    // empty, as getenv finds no variable, and a warning says so. local-file and root-tree are
    // how a definition declares what else it reads.
    for who in ["file-exists?", "file-is-directory?"] {
        let s = shared.clone();
        register(&mut engine, who, move |args| {
            let path = string_arg(who, args, 0)?;
            let mut shared = lock(&s);
            let full = shared.base_dir.join(path);
            match place(&full, &shared.input_dirs) {
                Placed::Inside(real) => {
                    return Ok(SteelVal::BoolV(
                        who != "file-is-directory?" || real.is_dir(),
                    ))
                }
                // A missing file inside the load path is a true #f; outside, #f says nothing.
                Placed::MissingInside => return Ok(SteelVal::BoolV(false)),
                Placed::Outside(_) => {}
            }
            shared.pending_warnings.push((
                format!(
                    "({who} {path:?}) is taken as #f: a definition does not look at the host \
                     (Guix looks on the machine that evaluates it); declare what the image \
                     needs with local-file or root-tree"
                ),
                None,
            ));
            Ok(SteelVal::BoolV(false))
        });
    }

    // Guile's open-input-file and call-with-input-file (see base.scm) read a file's text: a
    // definition's own Scheme sources (a motd kept in a .tmpl beside config.scm), which it
    // could include anyway; every other host file is not its to read.
    let s = shared.clone();
    register(&mut engine, "%read-source-file", move |args| {
        let who = args
            .first()
            .and_then(value::as_symbol)
            .unwrap_or("open-input-file");
        let path = string_arg(who, args, 1)?;
        let (base, dirs) = {
            let shared = lock(&s);
            (shared.base_dir.clone(), shared.source_dirs.clone())
        };
        let refused = |reason: String| {
            error(format!(
                "{who} is not available for {path:?}: {}; as include does, a definition reads \
                 only Scheme sources (.scm, .tmpl) inside the load path ({reason})",
                super::sandbox::FILES
            ))
        };
        let real = super::modules::resolve_file(path, &base, &dirs).map_err(refused)?;
        let mut text = String::new();
        std::fs::File::open(&real)
            .and_then(|f| f.take(MAX_READ_FILE + 1).read_to_string(&mut text))
            .map_err(|e| refused(format!("{}: {e}", real.display())))?;
        if text.len() as u64 > MAX_READ_FILE {
            return Err(refused(format!(
                "{} is over {} MiB",
                real.display(),
                MAX_READ_FILE >> 20
            )));
        }
        Ok(SteelVal::StringV(text.into()))
    });

    // Guile's canonicalize-path, inside the load path as file-exists? answers there: the
    // canonical path of an existing file; outside, the host is not the definition's to look
    // at (and whether the path exists is not said).
    let s = shared.clone();
    register(&mut engine, "canonicalize-path", move |args| {
        let path = string_arg("canonicalize-path", args, 0)?;
        let shared = lock(&s);
        match place(&shared.base_dir.join(path), &shared.input_dirs) {
            Placed::Inside(real) => Ok(SteelVal::StringV(
                real.to_string_lossy().into_owned().into(),
            )),
            Placed::MissingInside => Err(error(format!(
                "canonicalize-path: no such file or directory: {path:?}"
            ))),
            // The path as written, resolved by its text: whether it exists is not said.
            Placed::Outside(_) => Err(error(format!(
                "canonicalize-path: {} is outside the definition's own files ({}): a \
                 definition does not look at the rest of the host; add -L DIR to let it look in DIR",
                super::modules::lexically_normal(&shared.base_dir.join(path)).display(),
                shown_dirs(&shared.input_dirs),
            ))),
        }
    });

    let s = shared.clone();
    register(&mut engine, "%warn", move |args| {
        let message = string_arg("%warn", args, 0)?;
        lock(&s).pending_warnings.push((message.to_string(), None));
        Ok(SteelVal::Void)
    });

    let s = shared.clone();
    // (%warn-at message span): a warning located at a form of the user's text, the span
    // `#%syntax-span` gave a prelude macro.
    register(&mut engine, "%warn-at", move |args| {
        let message = string_arg("%warn-at", args, 0)?;
        let span = args.get(1).and_then(value::as_span);
        lock(&s).pending_warnings.push((message.to_string(), span));
        Ok(SteelVal::Void)
    });

    let s = shared.clone();
    register(&mut engine, "%current-filename", move |_| {
        Ok(match &lock(&s).current_file {
            Some(p) => SteelVal::StringV(p.to_string_lossy().into_owned().into()),
            None => SteelVal::BoolV(false),
        })
    });

    let s = shared.clone();
    // (%tree-op op root args …)
    register(&mut engine, "%tree-op", move |args| {
        let op = opt_symbol(args.first()).unwrap_or_default();
        let root = args.get(1).cloned().unwrap_or(SteelVal::Void);
        if !value::is_struct(&root, layout::TREE_ROOT) {
            return Err(error(format!(
                "{op}: the first argument must be the root handle the initializer received, got {}",
                render(&root)
            )));
        }
        let id = value::struct_field(&root, 0)
            .and_then(|v| value::as_integer(&v))
            .unwrap_or(-1);
        let mode = |i: usize| {
            args.get(i)
                .and_then(value::as_integer)
                .and_then(|m| u32::try_from(m).ok())
        };
        let who = match op.as_str() {
            "mkdir" => "mkdir-p",
            "copy-tree" => "copy-recursively",
            other => other,
        };
        let parsed = match op.as_str() {
            "mkdir" => OpArgs::Mkdir {
                path: string_arg(who, args, 2)?,
                mode: mode(3).unwrap_or(0o755),
            },
            "write-file" => OpArgs::WriteFile {
                path: string_arg(who, args, 2)?,
                contents: string_arg(who, args, 3)?,
                mode: mode(4).unwrap_or(0o644),
            },
            "copy-file" => OpArgs::CopyFile {
                source: string_arg(who, args, 2)?,
                path: string_arg(who, args, 3)?,
                mode: mode(4),
            },
            "copy-tree" => OpArgs::CopyTree {
                source: string_arg(who, args, 2)?,
                path: string_arg(who, args, 3)?,
            },
            "symlink" => OpArgs::Symlink {
                target: string_arg(who, args, 2)?,
                path: string_arg(who, args, 3)?,
            },
            other => return Err(error(format!("%tree-op: unknown operation {other}"))),
        };
        let mut guard = lock(&s);
        let base = guard.base_dir.clone();
        let op = make_op(parsed, &base).map_err(error)?;
        match guard.trees.get_mut(&id) {
            Some(ops) => ops.push(op),
            None => {
                return Err(error(format!(
                "{who}: the root handle is no longer valid; use it only while the initializer runs"
            )))
            }
        }
        Ok(SteelVal::Void)
    });

    compile_and_run(&mut engine, super::kernel::FORMS, None)
        .map_err(|e| prelude_error("kernel forms", e))?;
    for (name, text) in PRELUDE {
        // The lists Rust's tables give (formats, file systems, bootloaders, boards), then the
        // prelude's struct forms expanded without Steel's macro kernel.
        let text = super::kernel::expand_structs(&crate::tables::expand(text))
            .map_err(|e| prelude_error(name, SteelErr::new(ErrorKind::BadSyntax, e)))?;
        compile_and_run(&mut engine, text, None).map_err(|e| prelude_error(name, e))?;
    }
    Ok(engine)
}

fn print_value(
    who: &str,
    args: &[SteelVal],
    write: bool,
    newline: bool,
) -> steel::rvals::Result<SteelVal> {
    let mut text = match args.first() {
        Some(SteelVal::StringV(s)) if !write => s.to_string(),
        Some(v) => value::render_full(v),
        None => String::new(),
    };
    if newline {
        text.push('\n');
    }
    emit(who, args.get(1), &text)?;
    Ok(SteelVal::Void)
}

/// Writes `text` to the port a print names: none or `#t` (the output), one of Guile's
/// standard ports (`known_port`), or a string port. Anything else is Guile's wrong-type error.
fn emit(who: &str, port: Option<&SteelVal>, text: &str) -> steel::rvals::Result<()> {
    let to = match port {
        None | Some(SteelVal::BoolV(true)) => UserPort::Output,
        Some(SteelVal::PortV(port)) => return port.write(text.as_bytes()),
        Some(v) => known_port(v).ok_or_else(|| {
            error(format!(
                "{who}: expected an output port such as (current-error-port), got {}",
                render(v)
            ))
        })?,
    };
    let stream = super::watch::user_output(to, text);
    if !text.is_empty() {
        let open = match stream {
            _ if text.ends_with('\n') => NO_OPEN_LINE,
            super::watch::Stream::Stdout => OPEN_ON_STDOUT,
            super::watch::Stream::Stderr => OPEN_ON_STDERR,
        };
        OUTPUT_OPEN_LINE.store(open, Ordering::Relaxed);
    }
    Ok(())
}

/// Which of Guile's standard ports `v` is (base.scm's `%guile-port`).
fn known_port(v: &SteelVal) -> Option<UserPort> {
    if !value::is_struct(v, value::layout::GUILE_PORT) {
        return None;
    }
    match value::struct_field(v, 0)
        .as_ref()
        .and_then(value::as_symbol)
    {
        Some("current-output-port") => Some(UserPort::Output),
        Some("current-error-port" | "current-warning-port") => Some(UserPort::Error),
        _ => None,
    }
}

/// Whether the definitions' own output (`display`, `write`) last left a line unfinished, and
/// where: the REPL ends it before its prompt, which would otherwise overwrite it, and ingot
/// ends one on stderr before its own warnings and errors.
static OUTPUT_OPEN_LINE: AtomicU8 = AtomicU8::new(NO_OPEN_LINE);
const NO_OPEN_LINE: u8 = 0;
const OPEN_ON_STDOUT: u8 = 1;
const OPEN_ON_STDERR: u8 = 2;

/// Reads and clears [`OUTPUT_OPEN_LINE`]: whether a line is unfinished on either stream.
pub fn take_open_output_line() -> bool {
    OUTPUT_OPEN_LINE.swap(NO_OPEN_LINE, Ordering::Relaxed) != NO_OPEN_LINE
}

/// Ends the definitions' unfinished line on stderr, if they left one, so that what ingot
/// prints there next starts a line of its own.
pub fn end_open_error_line() {
    if OUTPUT_OPEN_LINE
        .compare_exchange(
            OPEN_ON_STDERR,
            NO_OPEN_LINE,
            Ordering::Relaxed,
            Ordering::Relaxed,
        )
        .is_ok()
    {
        super::watch::user_output(UserPort::Error, "\n");
    }
}

fn prelude_error(name: &str, mut e: SteelErr) -> SteelErr {
    e.prepend_message(&format!("scheme/{name}: "));
    e
}
