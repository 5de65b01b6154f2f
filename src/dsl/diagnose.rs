//! Steel errors and record failures -> `DslError`, located in the user's text, with hints.

use std::collections::HashMap;

use steel::rerrs::{ErrorKind, SteelErr};

use super::engine::{lock, RecordFailure};
use super::error::{DslError, RecordError};
use super::reader;
use super::source::{self, Form};
use super::value;
use super::{Dsl, SourceText};
use crate::model::SourceLoc;

impl Dsl {
    /// The best user location for a Steel error: its own span if it is in user text, else the
    /// innermost call from user text on the stack, else the form being evaluated.
    pub(super) fn error_location(&self, err: &SteelErr, src: &SourceText, form: Form) -> SourceLoc {
        if let Some(loc) = err.span().and_then(|s| self.locate_steel_span(s)) {
            return loc;
        }
        if let Some(trace) = err.stack_trace() {
            for frame in trace.trace().iter().rev() {
                if let Some(loc) = frame.span().and_then(|s| self.locate_steel_span(s)) {
                    return loc;
                }
            }
        }
        location_in(src, form.start)
    }

    pub(super) fn map_error(&self, err: SteelErr, src: &SourceText, form: Form) -> DslError {
        let fallback = self.error_location(&err, src, form);
        let text = err.to_string();
        let failure = lock(&self.shared).record_failure.take();
        if let Some(f) = failure.filter(|f| text.contains(&f.token)) {
            return self.record_error(f, Some(fallback));
        }
        let message = steel_message(&err);
        if let Some(blame) = self.blame_call(&err, &message, src, form) {
            return DslError::Eval {
                location: Some(blame.location),
                message: blame.message,
                hint: blame.hint,
            };
        }
        if let Some((message, hint)) = self.opaque_reached(&err, &message) {
            return DslError::Eval {
                location: Some(fallback),
                message,
                hint: Some(hint),
            };
        }
        if let Some((message, hint)) = self.wrong_value_reached(&err, &message, src) {
            return DslError::Eval {
                location: Some(fallback),
                message,
                hint,
            };
        }
        if let Some(value) = not_a_procedure(&message) {
            // The operator as written: a variable holding the value, or the value itself.
            let head = self
                .error_call(&err)
                .as_ref()
                .and_then(|c| c.head().map(super::namespace::unmangle));
            let hint = match head {
                Some(h) => format!("({h} …) calls {h}, which is {value} here"),
                None => format!(
                    "({value} …) calls {value}; a list is written (list {value} …) or '({value} …)"
                ),
            };
            return DslError::Eval {
                location: Some(fallback),
                message: format!("not a procedure: {value}"),
                hint: Some(hint),
            };
        }
        let named = self
            .uncomputed_hint(&message)
            .or_else(|| self.named_unknown_hint(&message));
        let hint = match err.kind() {
            // Steel's whole message for an ellipsis used as a value: a template's `(field ...)`
            // left unfilled.
            ErrorKind::Parse | ErrorKind::UnexpectedToken if message.trim() == "..." => {
                return DslError::Syntax {
                    location: fallback,
                    message: "`...` is not a value: outside a macro template it is Guile's \
                              ellipsis keyword"
                        .into(),
                    hint: Some(
                        "a placeholder of a template left to fill in? write the value here \
                         (Guile stops here too: bad use of '...' syntactic keyword)"
                            .into(),
                    ),
                }
            }
            ErrorKind::Parse | ErrorKind::UnexpectedToken => {
                return DslError::Syntax {
                    location: fallback,
                    message,
                    hint: None,
                }
            }
            ErrorKind::FreeIdentifier => {
                Some("define it before this point, or check its spelling".to_string())
            }
            ErrorKind::ArityMismatch => {
                return DslError::Eval {
                    location: Some(fallback),
                    message: format!("{}: {message}", self.error_builtin(&err)),
                    hint: Some("check how many arguments the procedure takes".to_string()),
                };
            }
            _ if named.is_some() => named,
            // A value shown that holds no placeholder: the opaque names are not the mistake.
            _ if message
                .rsplit_once(", got ")
                .is_some_and(|(_, got)| !got.contains(value::layout::UNKNOWN_SHOWN)) =>
            {
                None
            }
            // The sandbox refused a host access: that is the mistake, not an unknown name.
            _ if message.contains(" is not available: definitions ")
                || message.contains(" is outside the definition's own files ") =>
            {
                None
            }
            _ if !self.unknowns.is_empty() => Some(format!(
                "these names are not defined and were kept as opaque values: {}",
                self.unknowns.join(", ")
            )),
            _ => None,
        };
        DslError::Eval {
            location: Some(fallback),
            message,
            hint,
        }
    }

    /// A Steel builtin given a placeholder (Steel shows it as `(%unknown-call)`): which
    /// unknown names the failing call writes and what the builtin needs, instead of Steel's
    /// conversion text. `None` for any other error.
    fn opaque_reached(&self, err: &SteelErr, message: &str) -> Option<(String, String)> {
        if !shows_placeholder(message) {
            return None;
        }
        let call = self.error_call(err);
        let builtin = call
            .as_ref()
            .and_then(|c| c.head())
            .map(super::namespace::unmangle)
            .unwrap_or_else(|| "this call".to_string());
        let needs = needed_kind(message);
        let named = self.unknowns_written_in(call.as_ref());
        let names: Vec<String> = named.iter().map(|(_, n)| format!("`{n}`")).collect();
        let message = match names.as_slice() {
            [] => format!(
                "an opaque value (a name not known to ingot: {}) reached {builtin}, which needs {needs} here",
                self.unknowns.join(", ")
            ),
            [one] => format!("{one} is not known to ingot, and {builtin} needs {needs} here"),
            more => format!(
                "{} are not known to ingot, and {builtin} needs {needs} here",
                more.join(" and ")
            ),
        };
        let close = self.misspelt_unknown(&named);
        let accessor = named.iter().find_map(|(_, n)| self.accessor_record(n));
        let hint = match (close, accessor) {
            (Some((name, close)), _) => format!("`{name}`: {}", did_you_mean(&close)),
            (None, Some((name, record))) => format!(
                "`{name}` reads a field of an opaque ({record} …) form: ingot knows the field \
                 only where that form, or a form it inherits, gives it (Guix's default is \
                 unknown to ingot)"
            ),
            (None, None) => named
                .iter()
                .find_map(|(_, n)| self.exported_by_hint(n))
                .unwrap_or_else(|| {
                    "ingot keeps a name it does not know as an opaque value, with no string \
                     or number in it: define it, or check its spelling"
                        .to_string()
                }),
        };
        Some((message, hint))
    }

    /// A value of the wrong kind given to a builtin (Steel: "Cannot convert steel value: 1
    /// to steel string"): said with the builtin's name and the value; for #f, where the text
    /// calls getenv, that getenv is #f in a definition.
    fn wrong_value_reached(
        &self,
        err: &SteelErr,
        message: &str,
        src: &SourceText,
    ) -> Option<(String, Option<String>)> {
        let (_, rest) = message.split_once("Cannot convert steel value: ")?;
        let (value, _) = rest.rsplit_once(" to steel ")?;
        let value = if value == "#false" { "#f" } else { value };
        let builtin = self.error_builtin(err);
        let message = format!("{builtin} needs {} here, got {value}", needed_kind(message));
        let hint =
            (value == "#f" && src.text.contains("(getenv")).then(|| GETENV_FALSE_HINT.to_string());
        Some((message, hint))
    }

    /// The operator of the innermost user call on the error's stack, as the text writes it.
    fn error_builtin(&self, err: &SteelErr) -> String {
        self.error_call(err)
            .as_ref()
            .and_then(|c| c.head().map(super::namespace::unmangle))
            .unwrap_or_else(|| "this call".to_string())
    }

    /// The names the text being evaluated can write besides the globals: a module's own and
    /// imported ones, under their own spelling, not as the globals they became.
    pub(super) fn visible_names(&self) -> Vec<&str> {
        self.namespaces
            .last()
            .map(|ns| ns.visible_names().collect())
            .unwrap_or_default()
    }

    /// What a misspelling may be taken for: the visible names, and not the placeholders
    /// ingot made for names it does not know (they are globals too).
    pub(super) fn misspelling_targets(&self) -> BoundNames<'_> {
        BoundNames {
            visible: self.visible_names(),
            placeholders: &self.placeholders,
        }
    }

    /// The user's call at the error: its own span, else the innermost user call on the stack.
    fn error_call(&self, err: &SteelErr) -> Option<reader::Node> {
        let trace = err.stack_trace();
        let spans = err.span().into_iter().chain(
            trace
                .iter()
                .flat_map(|t| t.trace().iter().rev().filter_map(|f| *f.span())),
        );
        for span in spans {
            let Some(src) = span.source_id.and_then(|id| self.sources.get(&id.0)) else {
                continue;
            };
            let mut at = source::open_paren_before(&src.text, span.start as usize);
            if let Some(node) = reader::read(src.text.as_bytes(), &mut at) {
                return Some(node);
            }
        }
        None
    }

    fn record_error(&self, mut f: RecordFailure, fallback: Option<SourceLoc>) -> DslError {
        // Old Guix's (grub-configuration …) is made as a bootloader-configuration: its own
        // clauses are said by its name, with `grub` and `device` among the fields offered.
        if f.kind == "unknown"
            && f.span.and_then(|s| self.form_head(s)).as_deref() == Some(OLD_GRUB_FORM)
        {
            f.record = OLD_GRUB_FORM.to_string();
        }
        let location = f
            .clause_span
            .and_then(|s| self.locate(s))
            .or_else(|| f.span.and_then(|s| self.locate(s)))
            .or(fallback);
        let bound = self.misspelling_targets();
        let shown = format!("{} {}", f.message, f.value.as_deref().unwrap_or_default());
        let hint = self
            .uncomputed_hint(&shown)
            .or_else(|| f.hint.clone())
            .or_else(|| self.getenv_false_hint(&f))
            .or_else(|| {
                record_hint(&self.engine, &f, &self.unknowns, &bound, &|name| {
                    self.exported_by_hint(name)
                })
            });
        // A user module's record is shown by the name its text uses.
        let unmangle = super::namespace::unmangle;
        DslError::Record(Box::new(RecordError {
            location,
            record: unmangle(&f.record),
            field: f.field,
            message: unmangle(&f.message),
            value: f.value.map(|v| unmangle(&v)),
            hint: hint.map(|h| unmangle(&h)),
        }))
    }

    /// A field given #f by a form that calls getenv (`(local-file (getenv "KEY"))`): that
    /// getenv is #f in a definition, which the field's own message does not say.
    fn getenv_false_hint(&self, f: &RecordFailure) -> Option<String> {
        if f.value.as_deref() != Some("#f") {
            return None;
        }
        let span = f.clause_span.or(f.span)?;
        let src = self.sources.get(&span.source)?;
        let mut at = source::open_paren_before(&src.text, span.start);
        reader::read(src.text.as_bytes(), &mut at)?.find_symbol("getenv")?;
        Some(GETENV_FALSE_HINT.to_string())
    }

    /// A message showing a placeholder: the hint about its name (see `unknown_named_in`).
    pub(super) fn named_unknown_hint(&self, message: &str) -> Option<String> {
        unknown_named_in(
            &self.engine,
            message,
            &self.unknowns,
            &self.misspelling_targets(),
            &|name| self.exported_by_hint(name),
        )
    }

    /// For a name that is not defined: the module files under the load path (and the file's
    /// own directory) that export it, as the `use-modules` and `-L` that would make it
    /// visible. `None` when no module file there exports it.
    pub(super) fn exported_by_hint(&self, name: &str) -> Option<String> {
        let name = super::namespace::unmangle(name);
        let mut dirs = self.load_path.clone();
        dirs.push(self.search_dir.clone());
        let found = super::exporters::exporters_of(&name, &dirs);
        let first = found.first()?;
        let shown: Vec<String> = found
            .iter()
            .map(|e| {
                format!(
                    "{} ({})",
                    super::modules::display(&e.module),
                    self.shown_path(&e.path)
                )
            })
            .collect();
        let exporters = match shown.as_slice() {
            [one] => format!("module {one} exports it"),
            more => format!("modules {} export it", more.join(", ")),
        };
        let use_it = format!(
            "add (use-modules {})",
            super::modules::display(&first.module)
        );
        let reach = match &first.root {
            Some(root) if dirs.iter().any(|d| same_dir(d, root)) => String::new(),
            Some(root) => format!(" and -L {}", self.shown_path(root)),
            None => format!(
                " and move the file to where its name leads ({} under a -L directory)",
                first.module.join("/") + ".scm"
            ),
        };
        Some(format!(
            "`{name}` is not defined here, but {exporters}: {use_it}{reach}"
        ))
    }

    /// A path as the user may type it in the command (`-L` is taken from the process's
    /// current directory, not the definition's): relative to that directory when under it.
    fn shown_path(&self, path: &std::path::Path) -> String {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let cwd = std::env::current_dir().unwrap_or_default();
        match absolute.strip_prefix(&cwd) {
            Ok(rel) if rel.as_os_str().is_empty() => ".".to_string(),
            Ok(rel) => rel.display().to_string(),
            Err(_) => path.display().to_string(),
        }
    }

    /// The operator of the form that starts at `span`, as written.
    fn form_head(&self, span: value::RawSpan) -> Option<String> {
        let src = self.sources.get(&span.source)?;
        let mut at = source::open_paren_before(&src.text, span.start);
        reader::read(src.text.as_bytes(), &mut at)?
            .head()
            .map(super::namespace::unmangle)
    }

    /// An error from calling Scheme from Rust (no user form is being evaluated).
    pub(super) fn map_call_error(&self, err: SteelErr) -> DslError {
        let text = err.to_string();
        let failure = lock(&self.shared).record_failure.take();
        if let Some(f) = failure.filter(|f| text.contains(&f.token)) {
            return self.record_error(f, None);
        }
        let message = steel_message(&err);
        let (message, hint) = if let Some((m, h)) = self.opaque_reached(&err, &message) {
            (m, Some(h))
        } else if let Some(found) = self.wrong_value_reached(&err, &message, &self.session) {
            found
        } else {
            (message, None)
        };
        let location = err
            .span()
            .and_then(|s| self.locate_steel_span(s))
            .or_else(|| {
                err.stack_trace().as_ref().and_then(|t| {
                    t.trace()
                        .iter()
                        .rev()
                        .find_map(|f| f.span().and_then(|s| self.locate_steel_span(s)))
                })
            });
        DslError::Eval {
            location,
            message,
            hint,
        }
    }

    /// Whether the error is a builtin given a placeholder: what ingot does not know, reached.
    pub(super) fn reaches_opaque(&self, err: &SteelErr) -> bool {
        self.opaque_reached(err, &steel_message(err)).is_some()
    }

    /// Whether the error is a builtin given a placeholder none of whose names, as the failing
    /// call writes them, is a few edits from a bound name: Guix names ingot does not know,
    /// not a misspelling (whose error, with its did-you-mean, must not be put off).
    pub(super) fn reaches_opaque_unmisspelt(&self, err: &SteelErr) -> bool {
        let message = steel_message(err);
        if !shows_placeholder(&message) {
            return false;
        }
        let call = self.error_call(err);
        self.misspelt_unknown(&self.unknowns_written_in(call.as_ref()))
            .is_none()
    }

    /// The unknown names a failing call writes, with their offsets, in its order.
    fn unknowns_written_in(&self, call: Option<&reader::Node>) -> Vec<(usize, &str)> {
        let mut named: Vec<(usize, &str)> = call
            .iter()
            .flat_map(|c| {
                self.unknowns
                    .iter()
                    .filter_map(|u| c.find_symbol(u).map(|at| (at, u.as_str())))
            })
            .collect();
        named.sort();
        named
    }

    /// The first of `named` that is a few edits from a bound name, with that name.
    fn misspelt_unknown(&self, named: &[(usize, &str)]) -> Option<(String, String)> {
        let bound = self.misspelling_targets();
        // A short name is a few edits from too many others to offer one.
        named
            .iter()
            .filter(|(_, n)| n.chars().count() > 3)
            .find_map(|(_, n)| {
                closest_bound_name(&self.engine, n, &bound).map(|c| (n.to_string(), c))
            })
    }

    /// The hint for a message that shows the placeholder of a definition ingot could not
    /// compute: the definition's own failure.
    pub(super) fn uncomputed_hint(&self, text: &str) -> Option<String> {
        self.uncomputed.iter().find_map(|(name, why)| {
            let name = super::namespace::unmangle(name);
            text.contains(&format!("unknown {name}>")).then(|| {
                format!(
                    "`{name}` has no value: its definition could not be computed, because {why}"
                )
            })
        })
    }
}

/// Whether a Steel error message shows one of ingot's placeholders (Steel writes the struct as
/// `(%unknown)` or `(%unknown-call)`): a builtin was given a value ingot does not know.
pub(super) fn shows_placeholder(message: &str) -> bool {
    [value::layout::UNKNOWN, value::layout::UNKNOWN_CALL]
        .iter()
        .any(|s| message.contains(&format!("({s})")))
}

/// The location of `offset` in `src`, with lines counted from the start of its part.
pub(super) fn location_in(src: &SourceText, offset: usize) -> SourceLoc {
    let (name, start) = src.part(offset);
    let (start, offset) = (
        source::to_source_offset(&src.shifts, start),
        source::to_source_offset(&src.shifts, offset),
    );
    let part = src.original.get(start..).unwrap_or_default();
    let (line, column) = source::line_column(part, offset.saturating_sub(start));
    SourceLoc {
        file: name.to_string(),
        line,
        column,
    }
}

/// What a Steel builtin needed, from its conversion error ("… to steel string") or type error
/// ("… expected a symbol, found …", "expected real numbers, found: …") text.
fn needed_kind(message: &str) -> String {
    let word = |rest: &str| {
        rest.split([',', ':'])
            .next()
            .unwrap_or_default()
            .trim()
            .to_string()
    };
    let kind = if let Some((_, rest)) = message.split_once(" to steel ") {
        let w = word(rest);
        match w.as_str() {
            "int" => "an integer".to_string(),
            _ => format!("a {w}"),
        }
    } else if let Some((_, rest)) = message
        .split_once("expects ")
        .or_else(|| message.split_once("expected "))
    {
        word(rest)
    } else {
        String::new()
    };
    match kind.as_str() {
        "" => "a value of another kind".to_string(),
        "real numbers" | "numbers" | "a real number" => "a number".to_string(),
        _ => kind,
    }
}

/// The value Steel's "Application not a procedure" errors (its three spellings) name, as
/// written: a string, number or other value applied as if it were a procedure.
fn not_a_procedure(message: &str) -> Option<String> {
    let (_, value) = if message.contains("pplication not a procedure or function type") {
        // Steel's text breaks a line (and indents) before "not supported".
        message.split_once("not supported: ")?
    } else {
        message.split_once("application not a procedure: ")?
    };
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

/// Why a value is #f where the text calls getenv.
const GETENV_FALSE_HINT: &str = "(getenv …) is #f in a definition: it reads no environment \
     (give the value in the file, or use (or (getenv \"NAME\") \"default\"))";

/// Steel's error text without its "Error: Kind: " prefix.
fn steel_message(err: &SteelErr) -> String {
    let text = err.to_string();
    let prefix = format!("Error: {:?}: ", err.kind());
    // A module's globals are shown by the names its text uses.
    super::namespace::unmangle(text.strip_prefix(&prefix).unwrap_or(&text).trim())
}

/// For a text showing a placeholder (`#<unknown root-lable>`): that the name is not defined,
/// with the bound name closest to it.
fn unknown_named_in(
    engine: &steel::steel_vm::engine::Engine,
    text: &str,
    unknowns: &[String],
    bound: &BoundNames,
    exported_by: &dyn Fn(&str) -> Option<String>,
) -> Option<String> {
    let name = unknowns.iter().find(|name| {
        text.contains(&format!("unknown {name}>")) || text.contains(&format!("unknown ({name} "))
    })?;
    Some(match closest_bound_name(engine, name, bound) {
        Some(close) => format!("`{name}` is not defined: {}", did_you_mean(&close)),
        None => exported_by(name).unwrap_or_else(|| {
            format!("`{name}` is not defined (a misspelling, or a Guix name ingot does not know)")
        }),
    })
}

/// Whether two directories are one (as given, or once resolved).
fn same_dir(a: &std::path::Path, b: &std::path::Path) -> bool {
    a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

/// What to suggest for a record error: the closest field name for an unknown field, the
/// expected form for common mistakes.
fn record_hint(
    engine: &steel::steel_vm::engine::Engine,
    f: &RecordFailure,
    unknowns: &[String],
    bound: &BoundNames,
    exported_by: &dyn Fn(&str) -> Option<String>,
) -> Option<String> {
    // A misspelt field first: its value (often a name ingot keeps opaque) is not the mistake.
    if f.kind == "unknown" {
        return Some(unknown_field_hint(engine, f));
    }
    if let Some(v) = &f.value {
        if let Some(name) = value::rendered_forward_name(v) {
            return Some(format!(
                "`{name}` is defined later in the file: move its definition above this form \
                 (Guile stops here too: Unbound variable: {name})"
            ));
        }
        if let Some(hint) = unknown_named_in(engine, v, unknowns, bound, exported_by) {
            return Some(hint);
        }
    }
    match f.kind.as_str() {
        "missing" => Some(format!(
            "add ({} …) to this {} form",
            f.field.clone().unwrap_or_default(),
            f.record
        )),
        "duplicate" => Some("remove one of the two clauses".into()),
        "inherit-position" => Some("move (inherit …) to the front of the form".into()),
        _ => match (f.record.as_str(), f.field.as_deref()) {
            (_, Some("size")) => {
                Some("sizes are bytes: (* 40 (expt 2 20)) for 40 MiB, or 'guess".into())
            }
            (_, Some("offset")) => Some("offsets are bytes, e.g. (* 2048 512)".into()),
            _ => None,
        },
    }
}

/// The names a misspelling may be taken for, besides the engine's globals and macros.
pub(super) struct BoundNames<'a> {
    /// A module's own and imported names, as its text spells them.
    pub(super) visible: Vec<&'a str>,
    /// Names ingot bound to placeholders because it does not know them: not offered.
    pub(super) placeholders: &'a HashMap<String, bool>,
}

/// The bound name closest to `name` (a few edits away, word by word: see `same_words_respelt`),
/// from every global the engine has; Steel's `#…` and module-mangled names are not offered,
/// nor `%…` names unless `name` is one (Guix's `%base-file-systems` is, and so are the
/// prelude's internals), nor ingot's placeholders.
pub(super) fn closest_bound_name(
    engine: &steel::steel_vm::engine::Engine,
    name: &str,
    bound: &BoundNames,
) -> Option<String> {
    let limit = 2.max(name.chars().count() / 4);
    let globals = engine.globals();
    // The record forms (`file-system`, `partition`) and other syntax (grub-configuration)
    // are macros: without them a misspelt form got its predicate (`file-system?`) offered.
    let macros = engine.in_scope_macros();
    globals
        .iter()
        .chain(macros.keys())
        .map(|g| g.resolve())
        .chain(bound.visible.iter().copied())
        .filter(|g| {
            *g != name
                && !bound.placeholders.contains_key(*g)
                && !g.starts_with(['#', '<'])
                && (name.starts_with('%') || !g.starts_with('%'))
                && !g.contains("__")
                && !g.contains("mangler")
                && !g.starts_with("%%m")
        })
        .map(|g| (near_key(g, name), g))
        .filter(|((d, _), g)| *d <= limit && same_words_respelt(g, name))
        .min()
        .map(|(_, g)| g.to_string())
}

/// The closest field of the record to a field it does not have (`inherit` is a clause of
/// every record), and the record's fields.
fn unknown_field_hint(engine: &steel::steel_vm::engine::Engine, f: &RecordFailure) -> String {
    let fields = record_fields(engine, &f.record);
    let field = f.field.clone().unwrap_or_default();
    let close = fields
        .iter()
        .map(String::as_str)
        .chain(["inherit"])
        .filter(|c| edit_distance(c, &field) <= 2.max(field.len() / 4))
        .filter(|c| same_words_respelt(c, &field))
        .min_by_key(|c| near_key(c, &field));
    match close {
        Some(c) => format!(
            "did you mean `{c}`? {} fields: {}",
            f.record,
            fields.join(" ")
        ),
        None => format!("{} fields: {}", f.record, fields.join(" ")),
    }
}

/// How far `candidate` is from `name`, for the closest of several: fewest edits, then a
/// candidate that starts as the name does (`uid` is nearer `uuid` than `id`).
fn near_key(candidate: &str, name: &str) -> (usize, bool) {
    (
        edit_distance(candidate, name),
        candidate.chars().next() != name.chars().next(),
    )
}

/// The candidate a few edits from `name` (at most 2, or a quarter of its length): the closest
/// (see `near_key`), the first of those as close; `name` itself is not offered. Blanks around `name` do not
/// count ("ext4 " is ext4).
pub(super) fn closest<'a>(
    name: &str,
    candidates: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    let trimmed = name.trim();
    let limit = 2.max(trimmed.chars().count() / 4);
    candidates
        .filter(|c| *c != name)
        .map(|c| (near_key(c, trimmed), c))
        .filter(|((d, _), c)| *d <= limit && same_words_respelt(c, trimmed))
        .min_by_key(|(key, _)| *key)
        .map(|(_, c)| c)
}

/// "did you mean NAME?", the name in backquotes when it ends in a question mark of its own
/// (a predicate: "did you mean `file-system?`?", not "file-system??").
pub(super) fn did_you_mean(name: &str) -> String {
    if name.ends_with('?') {
        format!("did you mean `{name}`?")
    } else {
        format!("did you mean {name}?")
    }
}

/// The field names of the record type called `record` (from the prelude's list of every
/// record type, user-defined ones included).
/// Guix before 0.14's form, which the prelude makes as a bootloader-configuration.
const OLD_GRUB_FORM: &str = "grub-configuration";

fn record_fields(engine: &steel::steel_vm::engine::Engine, record: &str) -> Vec<String> {
    if record == OLD_GRUB_FORM {
        let mut fields = vec!["grub".to_string(), "device".to_string()];
        fields.extend(record_fields(engine, "bootloader-configuration"));
        return fields;
    }
    let Ok(types) = engine.extract_value("%record-types") else {
        return Vec::new();
    };
    let rtd = value::list_items(&types)
        .unwrap_or_default()
        .into_iter()
        .find(|t| {
            value::struct_field(t, value::layout::RTD_NAME)
                .is_some_and(|n| value::as_symbol(&n) == Some(record))
        });
    rtd.and_then(|t| value::struct_field(&t, value::layout::RTD_FIELDS))
        .and_then(|f| value::list_items(&f))
        .unwrap_or_default()
        .iter()
        .filter_map(|f| value::struct_field(f, value::layout::FIELD_NAME))
        .filter_map(|n| value::as_symbol(&n).map(str::to_string))
        .collect()
}

/// Whether `candidate` could be `name` misspelt, word by word: names of as many `-`-words
/// must differ in each word by at most 2 edits or half the word, so a word replaced by
/// another (`%copy-build-system-modules`, `%binary-build-system-modules`) is another name,
/// not a typo. Names of different word counts (`hostname`, `host-name`) are not compared so.
fn same_words_respelt(candidate: &str, name: &str) -> bool {
    let candidate_words: Vec<&str> = candidate.split('-').collect();
    let name_words: Vec<&str> = name.split('-').collect();
    candidate_words.len() != name_words.len()
        || candidate_words.iter().zip(&name_words).all(|(c, n)| {
            let longest = c.chars().count().max(n.chars().count());
            strsim::osa_distance(c, n) <= 2.max(longest / 2)
        })
}

/// Levenshtein distance, in characters.
fn edit_distance(a: &str, b: &str) -> usize {
    strsim::levenshtein(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suggested_predicate_keeps_its_own_question_mark_apart() {
        assert_eq!(did_you_mean("partition"), "did you mean partition?");
        assert_eq!(did_you_mean("file-system?"), "did you mean `file-system?`?");
    }

    #[test]
    fn a_word_replaced_is_another_name_not_a_typo() {
        assert!(!same_words_respelt(
            "%binary-build-system-modules",
            "%copy-build-system-modules"
        ));
        assert!(same_words_respelt("grub-bootloader", "grub-bootlaoder"));
        assert!(same_words_respelt("host-name", "hostname"));
        assert!(same_words_respelt("root-label", "root-lable"));
        assert_eq!(
            closest(
                "%copy-build-system-modules",
                ["%binary-build-system-modules"].into_iter()
            ),
            None
        );
    }

    #[test]
    fn edit_distance_finds_near_misses() {
        assert_eq!(edit_distance("label", "lable"), 2);
        assert_eq!(edit_distance("host-name", "host-nam"), 1);
        assert_eq!(edit_distance("size", "size"), 0);
    }

    #[test]
    fn the_nearest_name_starts_as_the_misspelling_does() {
        fn nearest<'a>(name: &str, names: &[&'a str]) -> Option<&'a str> {
            names.iter().copied().min_by_key(|c| near_key(c, name))
        }
        assert_eq!(nearest("uid", &["id", "uuid"]), Some("uuid"));
        assert_eq!(nearest("kernal", &["kernel", "initrd"]), Some("kernel"));
    }

    #[test]
    fn needed_kind_reads_steel_messages() {
        let kind = needed_kind;
        assert_eq!(
            kind("Cannot convert steel value: (%unknown-call) to steel string"),
            "a string"
        );
        assert_eq!(
            kind("Cannot convert steel value: (%unknown) to steel int"),
            "an integer"
        );
        assert_eq!(
            kind("symbol->string expected a symbol, found (%unknown-call)"),
            "a symbol"
        );
        assert_eq!(kind("expected real numbers, found: (%unknown)"), "a number");
        assert_eq!(kind("append expects a list, found: (%unknown)"), "a list");
        assert_eq!(kind("something else"), "a value of another kind");
    }

    #[test]
    fn not_a_procedure_reads_steel_spellings() {
        assert_eq!(
            not_a_procedure(
                "TailCall - Application not a procedure or function type\n                    not supported: \"tty1\""
            )
            .as_deref(),
            Some("\"tty1\"")
        );
        assert_eq!(
            not_a_procedure(
                "Function application not a procedure or function type not supported: 5"
            )
            .as_deref(),
            Some("5")
        );
        assert_eq!(
            not_a_procedure("application not a procedure: #t").as_deref(),
            Some("#t")
        );
        assert_eq!(not_a_procedure("car: expected a pair"), None);
    }
}
