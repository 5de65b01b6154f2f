//! Evaluating user text in the engine: form by form, with unknown names turned into
//! placeholders, and every Steel error mapped to a `DslError` located in the user's text.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use steel::parser::interner::InternedString;
use steel::rerrs::{ErrorKind, SteelErr};
use steel::SteelVal;

use super::convert::{Converter, Host};
use super::engine::{lock, RecordFailure};
use super::error::{DslError, RecordError};
use super::source::{self, Form, NameKind};
use super::value::{self, RawSpan};
use super::{Dsl, Input, SourceText};
use crate::model::{self, SourceLoc, TreeOp};

/// Steel's message for an unbound name ends with the name after this.
const FREE_IDENTIFIER: &str = "Cannot reference an identifier before its definition: ";

/// Syntax Steel handles itself (not macros it would list).
const SPECIAL_FORMS: &[&str] = &[
    "define",
    "define*",
    "define-public",
    "lambda",
    "λ",
    "lambda*",
    "fn",
    "let",
    "let*",
    "letrec",
    "letrec*",
    "if",
    "begin",
    "set!",
    "when",
    "unless",
    "and",
    "or",
    "cond",
    "case",
    "quote",
    "quasiquote",
    "unquote",
    "unquote-splicing",
    "define-syntax",
    "syntax-rules",
    "require",
    "provide",
    "require-builtin",
    "let-syntax",
    "letrec-syntax",
    "defmacro",
    "#%plain-let",
    "return!",
    "do",
    "else",
    "modify-services",
];

/// A bound on placeholder retries per form, against a name Steel keeps reporting.
const MAX_PLACEHOLDERS_PER_FORM: usize = 2000;

impl Dsl {
    /// Evaluates `text` form by form and returns the value of its last expression.
    pub(super) fn eval_source(
        &mut self,
        input: Input,
        text: &str,
        base_dir: PathBuf,
        current_file: Option<PathBuf>,
    ) -> Result<SteelVal, DslError> {
        self.warnings.clear();
        self.unknowns.clear();
        self.base_dir = base_dir.clone();
        {
            let mut shared = lock(&self.shared);
            shared.base_dir = base_dir.clone();
            shared.current_file = current_file;
            shared.record_failure = None;
        }
        // Steel wants an existing path for a program (it canonicalises it); interactive inputs
        // use the current directory and share one growing transcript, so that the offsets of
        // every earlier input stay valid.
        let interactive = matches!(input, Input::Session { .. });
        let (steel_path, offset, name, mut src) = match input {
            Input::File { path, name } => (
                path,
                0,
                name.clone(),
                SourceText {
                    text: String::new(),
                    parts: vec![(0, name)],
                },
            ),
            Input::Session { name } => {
                let mut session = (*self.session).clone();
                if !session.text.is_empty() {
                    session.text.push('\n');
                }
                let offset = session.text.len();
                session.parts.push((offset, name.clone()));
                (base_dir, offset, name, session)
            }
        };
        let scanned = source::scan(text).map_err(|e| {
            let (line, column) = source::line_column(text, e.offset);
            DslError::Syntax {
                location: SourceLoc {
                    file: name.clone(),
                    line,
                    column,
                },
                message: e.message,
                hint: e.hint,
            }
        })?;
        src.text.push_str(&scanned.text);
        let src = Arc::new(src);
        if interactive {
            self.session = src.clone();
        }
        if scanned.forms.is_empty() {
            return Err(DslError::value(
                None,
                format!("{name}: nothing to evaluate (the text has no expression)"),
            ));
        }
        let forms: Vec<Form> = scanned
            .forms
            .iter()
            .map(|f| Form {
                start: f.start + offset,
                end: f.end + offset,
            })
            .collect();
        self.predeclare(&src.text, &forms)?;
        let mut last = SteelVal::Void;
        for form in &forms {
            let padded = source::isolate(&src.text, *form);
            let values = self
                .run_form(&padded, &steel_path, &src, *form)
                .map_err(|e| self.map_error(e, &src, *form))?;
            if let Some(v) = values.into_iter().last() {
                last = v;
            }
        }
        self.last_form = forms.last().map(|f| location_in(&src, f.start));
        Ok(last)
    }

    /// Top-level definitions may be used before they appear (inside procedure bodies), as in
    /// Guile; since each form is compiled alone, give those names a binding first.
    fn predeclare(&mut self, text: &str, forms: &[Form]) -> Result<(), DslError> {
        let mut program = String::new();
        for form in forms {
            if let Some(name) = defined_name(&text[form.start..form.end]) {
                // A name an earlier evaluation (e.g. a REPL input) used as an unknown operator
                // is now defined: drop its placeholder macro, or it would shadow the definition.
                if self.placeholders.get(name) == Some(&true) {
                    self.engine
                        .in_scope_macros_mut()
                        .remove(&InternedString::from(name));
                    self.placeholders.remove(name);
                }
                if !self.engine.global_exists(name) {
                    program.push_str(&format!("(define {name} (%make-unknown '{name}))\n"));
                }
            }
        }
        if !program.is_empty() && self.engine.compile_and_run_raw_program(program).is_err() {
            // A name Steel cannot define: the form defining it reports the problem itself.
        }
        Ok(())
    }

    fn note_source(&mut self, path: &Path, src: &Arc<SourceText>) {
        if let Some(id) = self.engine.get_source_id(path) {
            self.sources.insert(id.0, src.clone());
        }
    }

    /// Compiles and runs one form; a name Steel reports unbound becomes a placeholder and the
    /// form is compiled again.
    fn run_form(
        &mut self,
        padded: &str,
        path: &Path,
        src: &Arc<SourceText>,
        form: Form,
    ) -> Result<Vec<SteelVal>, SteelErr> {
        let mut tried = Vec::new();
        loop {
            let result = self
                .engine
                .compile_and_run_raw_program_with_path(padded.to_string(), path.to_path_buf());
            self.note_source(path, src);
            let err = match result {
                Err(e) if e.kind() == ErrorKind::FreeIdentifier => e,
                other => return other,
            };
            let Some(name) = err
                .to_string()
                .split(FREE_IDENTIFIER)
                .nth(1)
                .map(|s| s.trim().to_string())
            else {
                return Err(err);
            };
            let at = match err.span() {
                Some(span) if self.is_user_span(span.source_id.map(|s| s.0)) => span.start as usize,
                _ => return Err(err),
            };
            // Steel reports the arguments of a call before its operator: in
            // `(openssh-configuration (port-number 2222))` it names port-number first. When an
            // enclosing operator is unbound too, make that one the placeholder: its arguments
            // are then kept unevaluated and their field names are not reported.
            let classify = |name: &str| self.classify(name);
            let outer = source::enclosing_unbound_calls(&src.text, form.start, at, &classify)
                .into_iter()
                .rfind(|(_, head_at)| *head_at != at);
            if let Some((head, _)) = outer {
                if !tried.contains(&(head.clone(), true)) && tried.len() < MAX_PLACEHOLDERS_PER_FORM
                {
                    tried.push((head.clone(), true));
                    self.define_placeholder(&head, true)?;
                    if !self.unknowns.contains(&head) {
                        self.unknowns.push(head);
                    }
                    continue;
                }
            }
            let written_as_operator = source::is_operator_position(&src.text, at);
            // Where the name stands after macro expansion may differ from where it is written
            // (e.g. a modify-services clause): if the first guess did not bind it, try the other.
            let operator = if tried.contains(&(name.clone(), written_as_operator)) {
                !written_as_operator
            } else {
                written_as_operator
            };
            if tried.contains(&(name.clone(), operator)) || tried.len() >= MAX_PLACEHOLDERS_PER_FORM
            {
                return Err(err);
            }
            tried.push((name.clone(), operator));
            self.define_placeholder(&name, operator)?;
            if !self.unknowns.contains(&name) {
                self.unknowns.push(name);
            }
        }
    }

    /// An unbound name: as an operator, a macro that keeps its arguments unevaluated (they
    /// are typically the fields of a Guix configuration record ingot does not know); as a
    /// value, an opaque value that can also be called.
    fn define_placeholder(&mut self, name: &str, operator: bool) -> Result<(), SteelErr> {
        let program = if operator {
            format!(
                "(define-syntax {name} (syntax-rules () ((_ . args) (%make-unknown-call '{name} 'args))))"
            )
        } else {
            format!("(define {name} (%make-unknown '{name}))")
        };
        self.placeholders.insert(name.to_string(), operator);
        self.engine.compile_and_run_raw_program(program).map(|_| ())
    }

    /// What `name` is bound to now, for finding the unknown calls around an unbound name.
    fn classify(&self, name: &str) -> NameKind {
        if SPECIAL_FORMS.contains(&name) {
            NameKind::Special
        } else if name == "image-without-os" || self.engine.global_exists(&format!("<{name}>")) {
            NameKind::Record
        } else if self.placeholders.get(name) == Some(&true)
            || self
                .engine
                .in_scope_macros()
                .contains_key(&InternedString::from(name))
        {
            NameKind::Macro
        } else if self.placeholders.contains_key(name) || self.engine.global_exists(name) {
            NameKind::Procedure
        } else {
            NameKind::Unbound
        }
    }

    fn is_user_span(&self, source: Option<u32>) -> bool {
        source.is_some_and(|s| self.sources.contains_key(&s))
    }

    /// A span in user text -> its location (the opening parenthesis of a list form).
    pub(super) fn locate(&self, span: RawSpan) -> Option<SourceLoc> {
        let src = self.sources.get(&span.source)?;
        Some(location_in(
            src,
            source::open_paren_before(&src.text, span.start),
        ))
    }

    fn locate_steel_span(&self, span: steel::parser::span::Span) -> Option<SourceLoc> {
        let source = span.source_id?.0;
        self.locate(RawSpan {
            start: span.start as usize,
            source,
        })
    }

    /// The best user location for a Steel error: its own span if it is in user text, else the
    /// innermost call from user text on the stack, else the form being evaluated.
    fn error_location(&self, err: &SteelErr, src: &SourceText, form: Form) -> SourceLoc {
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

    fn map_error(&self, err: SteelErr, src: &SourceText, form: Form) -> DslError {
        let fallback = self.error_location(&err, src, form);
        let text = err.to_string();
        let failure = lock(&self.shared).record_failure.take();
        if let Some(f) = failure.filter(|f| text.contains(&f.token)) {
            return self.record_error(f, Some(fallback));
        }
        let message = steel_message(&err);
        let hint = match err.kind() {
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
                Some("check how many arguments the procedure takes".to_string())
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

    fn record_error(&self, f: RecordFailure, fallback: Option<SourceLoc>) -> DslError {
        let location = f
            .clause_span
            .and_then(|s| self.locate(s))
            .or_else(|| f.span.and_then(|s| self.locate(s)))
            .or(fallback);
        let hint = record_hint(&self.engine, &f, &self.unknowns);
        DslError::Record(Box::new(RecordError {
            location,
            record: f.record,
            field: f.field,
            message: f.message,
            value: f.value,
            hint,
        }))
    }

    /// `(os->image os #:type (lookup-image-type-by-name 'NAME))`, in Scheme.
    pub(super) fn apply_image_type(
        &mut self,
        os: &SteelVal,
        image_type: &str,
    ) -> Result<SteelVal, DslError> {
        let unknown_type = || {
            DslError::value(None, format!("{image_type}: no such image type"))
                .with_hint("`ingot list-image-types` shows the image types ingot knows".to_string())
        };
        if image_type.is_empty()
            || !image_type
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.+".contains(c))
        {
            return Err(unknown_type());
        }
        let lookup = self
            .engine
            .extract_value("lookup-image-type-by-name")
            .map_err(|e| DslError::Prelude(e.to_string()))?;
        let ty = self
            .engine
            .call_function_with_args(lookup, vec![SteelVal::SymbolV(image_type.into())])
            .map_err(|_| unknown_type())?;
        let os_to_image = self
            .engine
            .extract_value("os->image")
            .map_err(|e| DslError::Prelude(e.to_string()))?;
        lock(&self.shared).record_failure = None;
        self.engine
            .call_function_with_args(
                os_to_image,
                vec![os.clone(), SteelVal::SymbolV("#:type".into()), ty],
            )
            .map_err(|e| self.map_call_error(e))
    }

    /// An error from calling Scheme from Rust (no user form is being evaluated).
    fn map_call_error(&self, err: SteelErr) -> DslError {
        let text = err.to_string();
        let failure = lock(&self.shared).record_failure.take();
        if let Some(f) = failure.filter(|f| text.contains(&f.token)) {
            return self.record_error(f, None);
        }
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
            message: steel_message(&err),
            hint: None,
        }
    }

    pub(super) fn convert_image(&mut self, value: &SteelVal) -> Result<model::Image, DslError> {
        Converter::new(self).image(value)
    }

    pub(super) fn convert_os(
        &mut self,
        value: &SteelVal,
    ) -> Result<model::OperatingSystem, DslError> {
        Converter::new(self).operating_system(value)
    }
}

impl Host for Dsl {
    fn record_location(&self, record: &SteelVal) -> Option<SourceLoc> {
        value::record_span(record).and_then(|s| self.locate(s))
    }

    fn base_dir(&self) -> &Path {
        &self.base_dir
    }

    fn run_initializer(
        &mut self,
        procedure: &SteelVal,
        location: Option<&SourceLoc>,
    ) -> Result<Vec<TreeOp>, DslError> {
        let id = {
            let mut shared = lock(&self.shared);
            let id = shared.trees.keys().max().copied().unwrap_or(0) + 1;
            shared.trees.insert(id, Vec::new());
            id
        };
        let make_root = self
            .engine
            .extract_value("%tree-root")
            .map_err(|e| DslError::Prelude(e.to_string()))?;
        let root = self
            .engine
            .call_function_with_args(make_root, vec![SteelVal::IntV(id as isize)])
            .map_err(|e| DslError::Prelude(e.to_string()))?;
        let result = self
            .engine
            .call_function_with_args(procedure.clone(), vec![root]);
        let ops = lock(&self.shared).trees.remove(&id).unwrap_or_default();
        match result {
            Ok(_) => Ok(ops),
            Err(e) => {
                let mut err = self.map_call_error(e);
                if err.location().is_none() {
                    if let DslError::Eval { location: l, .. } = &mut err {
                        *l = location.cloned();
                    }
                }
                Err(err.with_hint(
                    "a partition initializer is called as (initializer root) and may use mkdir-p, write-file, copy-file, copy-recursively and symlink".to_string(),
                ))
            }
        }
    }
}

/// The location of `offset` in `src`, with lines counted from the start of its part.
fn location_in(src: &SourceText, offset: usize) -> SourceLoc {
    let (name, start) = src.part(offset);
    let (line, column) = source::line_column(&src.text[start..], offset.saturating_sub(start));
    SourceLoc {
        file: name.to_string(),
        line,
        column,
    }
}

/// Steel's error text without its "Error: Kind: " prefix.
fn steel_message(err: &SteelErr) -> String {
    let text = err.to_string();
    let prefix = format!("Error: {:?}: ", err.kind());
    text.strip_prefix(&prefix)
        .unwrap_or(&text)
        .trim()
        .to_string()
}

/// What to suggest for a record error: the closest field name for an unknown field, the
/// expected form for common mistakes.
fn record_hint(
    engine: &steel::steel_vm::engine::Engine,
    f: &RecordFailure,
    unknowns: &[String],
) -> Option<String> {
    if let Some(v) = &f.value {
        for name in unknowns {
            if v.contains(&format!("unknown {name}")) || v.contains(&format!("unknown ({name}")) {
                return Some(format!(
                    "`{name}` is not defined (a misspelling, or a Guix name ingot does not know)"
                ));
            }
        }
    }
    match f.kind.as_str() {
        "unknown" => {
            let fields = record_fields(engine, &f.record);
            let field = f.field.clone().unwrap_or_default();
            let close = fields
                .iter()
                .filter(|c| edit_distance(c, &field) <= 2.max(field.len() / 4))
                .min_by_key(|c| edit_distance(c, &field));
            Some(match close {
                Some(c) => format!(
                    "did you mean `{c}`? {} fields: {}",
                    f.record,
                    fields.join(" ")
                ),
                None => format!("{} fields: {}", f.record, fields.join(" ")),
            })
        }
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

/// The field names of the record type called `record` (from its descriptor `<record>`).
fn record_fields(engine: &steel::steel_vm::engine::Engine, record: &str) -> Vec<String> {
    let Ok(rtd) = engine.extract_value(&format!("<{record}>")) else {
        return Vec::new();
    };
    value::struct_field(&rtd, value::layout::RTD_FIELDS)
        .and_then(|f| value::list_items(&f))
        .unwrap_or_default()
        .iter()
        .filter_map(|f| value::struct_field(f, value::layout::FIELD_NAME))
        .filter_map(|n| value::as_symbol(&n).map(str::to_string))
        .collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The name a top-level `(define NAME …)`, `(define (NAME …) …)` or `define-public` defines.
fn defined_name(form: &str) -> Option<&str> {
    let rest = form
        .strip_prefix("(define-public")
        .or_else(|| form.strip_prefix("(define*"))
        .or_else(|| form.strip_prefix("(define"))?;
    if !rest.starts_with(|c: char| c.is_whitespace()) {
        return None;
    }
    let rest = rest.trim_start();
    let rest = rest.strip_prefix('(').map(str::trim_start).unwrap_or(rest);
    let end = rest
        .find(|c: char| c.is_whitespace() || "()[]\"';".contains(c))
        .unwrap_or(rest.len());
    let name = &rest[..end];
    let identifier = !name.is_empty()
        && name.parse::<f64>().is_err()
        && !name.starts_with(|c: char| "#|.,`'".contains(c));
    identifier.then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_defined_names() {
        assert_eq!(defined_name("(define x 1)"), Some("x"));
        assert_eq!(defined_name("(define (f a b) a)"), Some("f"));
        assert_eq!(defined_name("(define-public %os\n (x))"), Some("%os"));
        assert_eq!(defined_name("(define-syntax m (x))"), None);
        assert_eq!(defined_name("(defined x)"), None);
        assert_eq!(defined_name("(list 1)"), None);
        assert_eq!(defined_name("(define 1 2)"), None);
    }

    #[test]
    fn edit_distance_finds_near_misses() {
        assert_eq!(edit_distance("label", "lable"), 2);
        assert_eq!(edit_distance("host-name", "host-nam"), 1);
        assert_eq!(edit_distance("size", "size"), 0);
    }
}
