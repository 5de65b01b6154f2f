//! Evaluating user text in the engine, form by form (see `unknown` for unbound names and
//! `diagnose` for errors), and handing the results to `convert`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use steel::parser::interner::InternedString;
use steel::SteelVal;

use super::compile_lock::compile_and_run;
use super::convert::{Converter, Host};
use super::diagnose::location_in;
use super::engine::lock;
use super::error::DslError;
use super::modules;
use super::namespace;
use super::reader::{self, Node};
use super::rewrite;
use super::source::{self, Form};
use super::value::{self, RawSpan};
use super::{Dsl, Input, SourceText};
use crate::model::{self, SourceLoc, TreeOp};

/// How many `(load "file")` values inside forms were bound, for each a global of its own.
static NESTED_LOADS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

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
        self.uncomputed.clear();
        self.loading.clear();
        self.cycle_forwards.clear();
        self.search_dir = base_dir.clone();
        // Guile's %load-path as the definition sees it: where its modules are looked for.
        let dirs = self
            .load_path_now()
            .iter()
            .map(|d| SteelVal::StringV(d.to_string_lossy().into_owned().into()))
            .collect();
        self.engine
            .register_value("%load-path", SteelVal::ListV(dirs));
        // The definition's own directories, whose files `file-exists?` may see.
        let load_path = self.load_path_now();
        let mut shared = lock(&self.shared);
        shared.input_dirs = modules::own_tree(&load_path);
        shared.source_dirs = load_path;
        drop(shared);
        let value = self.eval_text(input, text, base_dir, current_file);
        self.warn_uncomputed_in_modules();
        value
    }

    /// One warning for the definitions of user modules kept as opaque values: their names,
    /// the first few.
    fn warn_uncomputed_in_modules(&mut self) {
        const SHOWN: usize = 5;
        let names: Vec<String> = self
            .uncomputed
            .iter()
            .map(|(name, _)| (name, namespace::unmangle(name)))
            .filter(|(name, user_name)| user_name != *name)
            .map(|(_, user_name)| user_name)
            .collect();
        let mut listed = names
            .iter()
            .take(SHOWN)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        if names.len() > SHOWN {
            listed.push_str(&format!(" and {} more", names.len() - SHOWN));
        }
        let message = match names.len() {
            0 => return,
            1 => format!(
                "1 definition of a user module uses names ingot does not know and is kept as \
                 an opaque value, an error wherever ingot needs it: {listed}"
            ),
            n => format!(
                "{n} definitions of user modules use names ingot does not know and are kept \
                 as opaque values, an error wherever ingot needs one: {listed}"
            ),
        };
        self.warn(message, None);
    }

    /// Evaluates one text (the file given, a module or an included file) form by form.
    fn eval_text(
        &mut self,
        input: Input,
        text: &str,
        base_dir: PathBuf,
        current_file: Option<PathBuf>,
    ) -> Result<SteelVal, DslError> {
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
        let (steel_path, offset, name, src) = match input {
            Input::File { path, name } => (
                path,
                0,
                name.clone(),
                SourceText {
                    parts: vec![(0, name)],
                    ..SourceText::default()
                },
            ),
            Input::Session { name } => {
                let mut session = (*self.session).clone();
                if !session.text.is_empty() {
                    session.text.push('\n');
                    session.original.push('\n');
                }
                let offset = session.text.len();
                session.parts.push((offset, name.clone()));
                (base_dir.clone(), offset, name, session)
            }
        };
        if let Some(at) = super::bounds::too_deep(text) {
            let (line, column) = source::line_column(text, at);
            return Err(DslError::Syntax {
                location: SourceLoc {
                    file: name.clone(),
                    line,
                    column,
                },
                message: format!(
                    "lists and quotes nest more than {} levels deep here",
                    super::bounds::MAX_NESTING
                ),
                hint: None,
            });
        }
        let syntax_error = |e: source::LexError| {
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
        };
        let scanned = source::scan(text).map_err(syntax_error)?;
        // The sandbox check runs once the imported modules, whose macros it needs, are read;
        // nothing of this text is compiled before.
        let checked = (scanned.text.clone(), scanned.shifts.clone());
        let scanned = super::pattern::apply(scanned).map_err(syntax_error)?;
        let scanned = super::syntax_case::apply(scanned).map_err(syntax_error)?;
        let scanned = super::ellipsis::apply(scanned).map_err(syntax_error)?;
        // The text as scanned locates the module forms; renamed (see `namespace`), it is what
        // Steel compiles.
        let plain = append_text(&src, &scanned, text);
        let nodes = namespace::read_forms(&scanned);
        self.import_modules(&nodes, &plain, offset)?;
        if let Some((at, form, why)) =
            super::sandbox::forbidden_form(&checked.0, &mut self.user_macros)
        {
            let (line, column) =
                source::line_column(text, source::to_source_offset(&checked.1, at));
            return Err(DslError::Eval {
                location: Some(SourceLoc {
                    file: name.clone(),
                    line,
                    column,
                }),
                message: format!("{form} is not available: {why}"),
                hint: None,
            });
        }
        let mut edits = self.namespace_renames(&nodes, &plain, offset)?;
        let macros = &self.user_macros;
        edits.extend(super::rewrite::macro_argument_unquotes(&nodes, &|name| {
            macros.contains_key(name)
        }));
        edits.sort_by_key(|e| e.0);
        let scanned = namespace::apply(scanned, &edits);
        let src = Arc::new(append_text(&src, &scanned, text));
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
        self.predeclare(&src.text, &forms);
        let mut last = SteelVal::Void;
        for form in &forms {
            if let Some(modules::File { path, at }) =
                modules::requests(&src.text, form.start, form.end)
            {
                last = self.load_file(&path, &src, at, &base_dir, false)?;
                continue;
            }
            if let Some(arg) = modules::computed_request(&src.text, form.start) {
                let padded = rewrite::compile_text(&src.text, arg);
                let value = self
                    .run_form(&padded, &steel_path, &src, arg)
                    .map_err(|e| self.map_error(e, &src, arg))?
                    .pop();
                let Some(path) = value.as_ref().and_then(value::as_str) else {
                    return Err(DslError::value(
                        Some(location_in(&src, arg.start)),
                        format!(
                            "load/include: expected the file's path as a string, got {}",
                            value.as_ref().map(value::render).unwrap_or_default()
                        ),
                    ));
                };
                let path = path.to_string();
                last = self.load_file(&path, &src, arg.start, &base_dir, false)?;
                continue;
            }
            // (load "file") inside the form: the file runs first, the form reads its value.
            let mut loaded = Vec::new();
            for (start, end, file) in modules::nested_loads(&src.text, *form) {
                let value = self.load_file(&file.path, &src, file.at, &base_dir, false)?;
                let global = format!(
                    "%ingot-load-{}",
                    NESTED_LOADS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                );
                self.engine.register_value(&global, value);
                loaded.push((start, end, global));
            }
            lock(&self.shared).current_form = Some((src.clone(), form.start));
            let mut padded = rewrite::compile_text(&src.text, *form);
            for (start, end, global) in loaded {
                // The call, as written, becomes the global padded to its length (offsets stay).
                if padded.get(start..end) == src.text.get(start..end) && global.len() <= end - start
                {
                    padded.replace_range(start..end, &format!("{global:end$}", end = end - start));
                }
            }
            let values = match self.run_form(&padded, &steel_path, &src, *form) {
                Err(e) if e.to_string().contains(super::dotted_quotes::STEEL_MESSAGE) => {
                    self.run_hoisting_dotted_quotes(&padded, &steel_path, &src, *form, e)
                }
                other => other,
            };
            let values = match values {
                Err(e) => self.keep_uncomputed_definition(e, &src, *form)?,
                Ok(values) => values,
            };
            self.finish_forward(&src.text[form.start..form.end]);
            self.finish_placeholders()?;
            self.note_stored_placeholders(
                &src,
                form.start,
                &values,
                defined_name(&src.text[form.start..form.end]),
            );
            let answers = std::mem::take(&mut lock(&self.shared).pending_warnings);
            for (message, span) in answers {
                let at = span
                    .and_then(|s| self.locate(s))
                    .unwrap_or_else(|| location_in(&src, form.start));
                self.warn(message, Some(at));
            }
            self.check_forwards(&src, *form, values.last())?;
            if let Some(v) = values.into_iter().last() {
                last = v;
            }
        }
        self.last_form = forms.last().map(|f| location_in(&src, f.start));
        Ok(last)
    }

    /// Loads the user modules a text's module forms use (before its first form runs: a module
    /// sees only its own imports) and gives the current namespace their names.
    fn import_modules(
        &mut self,
        nodes: &[Node],
        src: &SourceText,
        offset: usize,
    ) -> Result<(), DslError> {
        let mut ns = std::mem::take(self.namespace());
        let specs = namespace::module_forms(nodes, &mut ns);
        *self.namespace() = ns;
        for spec in specs {
            let Some(info) = self.use_module(&spec.module, src, spec.at + offset)? else {
                // A built-in module: one of Guix's package or service modules gives names
                // ingot does not know.
                if !modules::is_known(&spec.module) {
                    self.namespace().opaque = true;
                }
                if !spec.prefix.is_empty() {
                    self.namespace().built_in_prefixes.push(spec.prefix.clone());
                }
                self.import_renamed_built_ins(&spec);
                continue;
            };
            self.namespace()
                .import(&spec, &info)
                .map_err(|e| located(src, e.at + offset, e.message, e.hint))?;
        }
        // `(@ (a b) name)` loads module (a b) as a use would, giving no name to this text.
        let mut refs = Vec::new();
        namespace::module_refs(nodes, &mut refs);
        for (module, at) in refs {
            self.use_module(&module, src, at + offset)?;
        }
        Ok(())
    }

    /// `#:select ((delete . without))` of a built-in module: `without` is the prelude's
    /// `delete` in this text. (A name ingot does not have stays the user's placeholder.)
    fn import_renamed_built_ins(&mut self, spec: &namespace::ImportSpec) {
        let Some(select) = &spec.select else { return };
        for (exported, local, _) in select {
            if local != exported && is_bound(&self.engine, exported) {
                self.namespace()
                    .imports
                    .insert(local.clone(), exported.clone());
            }
        }
    }

    /// The renames that put a text's names in the current namespace (see `namespace`).
    fn namespace_renames(
        &mut self,
        nodes: &[Node],
        src: &SourceText,
        offset: usize,
    ) -> Result<Vec<(usize, usize, String)>, DslError> {
        let mut ns = std::mem::take(self.namespace());
        ns.define(nodes);
        let mut refs = Vec::new();
        namespace::module_refs(nodes, &mut refs);
        let result = if ns.prefix.is_none()
            && ns.imports.is_empty()
            && ns.built_in_prefixes.is_empty()
            && self.modules.is_empty()
            && refs.is_empty()
        {
            // No user module: nothing to rename and nothing refused.
            Ok(Vec::new())
        } else {
            let records = self.record_constructors();
            let engine = &self.engine;
            let is_bound = |name: &str| is_bound(engine, name);
            let modules: Vec<namespace::ModuleInfo> = self.modules.values().cloned().collect();
            let world = namespace::World {
                is_bound: &is_bound,
                records: &records,
                modules: &modules,
            };
            namespace::renames(nodes, &ns, &world)
                .map_err(|r| located(src, r.at + offset, r.message, r.hint))
        };
        *self.namespace() = ns;
        let edits = result?;
        self.bind_built_in_aliases(&edits);
        Ok(edits)
    }

    /// `(@@ (gnu …) x)` in a text that defines `x` itself reads the value `x` has before the
    /// text runs (Guile: the module's binding), under `namespace::BUILT_IN_ALIAS`: the
    /// prelude's, or a placeholder when ingot lacks the name.
    fn bind_built_in_aliases(&mut self, edits: &[(usize, usize, String)]) {
        let mut program = String::new();
        for (_, _, global) in edits {
            let Some(name) = global.strip_prefix(namespace::BUILT_IN_ALIAS) else {
                continue;
            };
            if self.engine.global_exists(global) {
                continue;
            }
            if self.engine.global_exists(name) {
                program.push_str(&format!("(define {global} {name})\n"));
            } else {
                program.push_str(&format!("(define {global} (%make-unknown '{name}))\n"));
                if !self.unknowns.iter().any(|u| u == name) {
                    self.unknowns.push(name.to_string());
                }
            }
        }
        if !program.is_empty() {
            // Plain definitions of a name the engine has: they cannot fail.
            let _ = compile_and_run(&mut self.engine, program, None);
        }
    }

    /// The namespace the text being evaluated defines into.
    fn namespace(&mut self) -> &mut namespace::Namespace {
        if self.namespaces.is_empty() {
            self.namespaces.push(namespace::Namespace::default());
        }
        let last = self.namespaces.len() - 1;
        &mut self.namespaces[last]
    }

    /// The globals of every record constructor defined so far (the prelude's and the user's).
    fn record_constructors(&mut self) -> HashSet<String> {
        let Ok(types) = self.engine.extract_value("%record-types") else {
            return HashSet::new();
        };
        value::list_items(&types)
            .unwrap_or_default()
            .iter()
            .filter_map(|t| value::struct_field(t, value::layout::RTD_NAME))
            .filter_map(|n| value::as_symbol(&n).map(str::to_string))
            .collect()
    }

    /// Loads a user module (once) and returns what it exports; `None` for a module ingot
    /// provides itself.
    fn use_module(
        &mut self,
        name: &[String],
        src: &SourceText,
        at: usize,
    ) -> Result<Option<namespace::ModuleInfo>, DslError> {
        let load_path = self.load_path_now();
        if modules::is_built_in(name)
            && !(modules::user_may_provide(name) && modules::find(name, &load_path).is_some())
        {
            if let Some(close) = modules::misspelt_guix_module(name)
                .filter(|_| modules::find(name, &load_path).is_none())
            {
                self.warnings.push(super::Warning {
                    message: format!(
                        "{} is none of Guix's modules: did you mean {close}? Guix stops here \
                         (no code for module); ingot goes on, its Guix names coming from (gnu)",
                        modules::display(name)
                    ),
                    location: Some(location_in(src, at)),
                });
            }
            return Ok(None);
        }
        let shown = modules::display(name);
        let Some(file) = modules::find(name, &load_path) else {
            let dirs: Vec<String> = load_path.iter().map(|d| d.display().to_string()).collect();
            let e = DslError::value(
                Some(location_in(src, at)),
                format!(
                    "module {shown} not found in {}: add -L DIR",
                    dirs.join(", ")
                ),
            );
            return Err(match modules::misspelt_file(name, &load_path) {
                Some(near) => e.with_hint(format!(
                    "{} is a few letters from the module's name: rename it {}.scm, or fix \
                     the name",
                    near.display(),
                    name.last().map(String::as_str).unwrap_or_default()
                )),
                None => e,
            });
        };
        if let Some(i) = self.loading.iter().position(|m| *m == shown) {
            let mut cycle = self.loading[i..].to_vec();
            cycle.push(shown.clone());
            return Ok(Some(self.module_still_loading(i, shown, &cycle)));
        }
        let file = file.canonicalize().unwrap_or(file);
        if self.loaded.contains(&file) {
            return Ok(self.modules.get(&file).cloned());
        }
        // Every module started so far is loaded or still loading: the next number is free.
        let number = self.loaded.len() + self.loading.len() + 1;
        self.loading.push(shown.clone());
        self.namespaces.push(namespace::Namespace {
            prefix: Some(format!("%%m{number}:")),
            ..namespace::Namespace::default()
        });
        let base = self.base_dir.clone();
        let result = self.load_file(&file.display().to_string(), src, at, &base, true);
        self.loading.pop();
        let ns = self.namespaces.pop().unwrap_or_default();
        self.loaded.insert(file.clone());
        result?;
        let info = ns.info(shown);
        self.modules.insert(file, info.clone());
        Ok(Some(info))
    }

    /// A form Steel's constant evaluator cannot compile because a folded value holds a pair:
    /// again, with its dotted quoted data defined as globals first (see `dotted_quotes`).
    fn run_hoisting_dotted_quotes(
        &mut self,
        padded: &str,
        path: &Path,
        src: &Arc<SourceText>,
        form: Form,
        first: steel::rerrs::SteelErr,
    ) -> Result<Vec<SteelVal>, steel::rerrs::SteelErr> {
        self.hoisted_quotes += 1;
        let prefix = format!("%%q{}_", self.hoisted_quotes);
        let Some((text, definitions)) = super::dotted_quotes::hoist(padded, form.start, &prefix)
        else {
            return Err(first);
        };
        compile_and_run(&mut self.engine, definitions, None)?;
        self.run_form(&text, path, src, form)
    }

    /// Module `loading[i]`, imported again while it loads (a cycle), as Guile gives it: what
    /// its `define-module` exports, each a forward global until its definition runs, so that
    /// code in the importer calling it later sees the value, and a top-level use before then
    /// is an error naming the cycle (Guile's "Unbound variable").
    fn module_still_loading(
        &mut self,
        i: usize,
        shown: String,
        cycle: &[String],
    ) -> namespace::ModuleInfo {
        // namespaces[0] is the main file's; module `loading[k]` has namespaces[k + 1].
        let info = self
            .namespaces
            .get(i + 1)
            .map(|ns| ns.info_while_loading(shown.clone()))
            .unwrap_or_else(|| namespace::ModuleInfo {
                name: shown,
                ..Default::default()
            });
        let mut program = String::new();
        for global in info.exports.values() {
            if !self.engine.global_exists(global) && !self.forwards.contains_key(global) {
                program.push_str(&self.forward_program(global));
                self.cycle_forwards
                    .insert(global.clone(), cycle.join(" -> "));
            }
        }
        if !program.is_empty() {
            // A name Steel cannot define is reported by the form that defines it.
            let _ = compile_and_run(&mut self.engine, program, None);
        }
        info
    }

    /// Evaluates a module's file, or a file `include`d/`load`ed relative to `base`; restores
    /// the including file's directory afterwards.
    fn load_file(
        &mut self,
        path: &str,
        src: &SourceText,
        at: usize,
        base: &Path,
        module: bool,
    ) -> Result<SteelVal, DslError> {
        let file = if module {
            PathBuf::from(path)
        } else {
            modules::resolve_file(path, base, &self.load_path_now())
                .map_err(|m| DslError::value(Some(location_in(src, at)), m))?
        };
        let text = std::fs::read_to_string(&file).map_err(|source| DslError::Read {
            path: file.clone(),
            source,
        })?;
        let dir = file
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let saved = (
            self.base_dir.clone(),
            lock(&self.shared).current_file.clone(),
        );
        let input = Input::File {
            path: file.clone(),
            name: file.display().to_string(),
        };
        let result = self.eval_text(input, &text, dir, Some(file));
        self.base_dir = saved.0.clone();
        {
            let mut shared = lock(&self.shared);
            shared.base_dir = saved.0;
            shared.current_file = saved.1;
        }
        result
    }

    /// Where user modules are looked for: the -L directories, then the given file's directory.
    fn load_path_now(&self) -> Vec<PathBuf> {
        let mut dirs = self.load_path.clone();
        if !dirs.contains(&self.search_dir) {
            dirs.push(self.search_dir.clone());
        }
        dirs
    }

    /// A global for `name` until its definition runs, and a setter for that global: Steel
    /// gives a redefinition a new slot and code compiled earlier keeps reading the old one,
    /// so after the definition runs the setter copies its value there (`finish_forward`).
    pub(super) fn forward_program(&mut self, name: &str) -> String {
        let raw = super::source::bar_symbol_name(name);
        let setter = super::source::steel_name(&format!(
            "%ingot__forward-{}",
            raw.as_deref().unwrap_or(name)
        ));
        let spelt = super::source::steel_name(name);
        let program = format!(
            "(define {spelt} (%make-forward '{spelt}))\n(define ({setter} v) (set! {spelt} v))\n"
        );
        self.forwards.insert(name.to_string(), setter);
        program
    }

    /// After `form` ran: if it defined a name code compiled earlier refers to, that code sees
    /// the definition from now on.
    fn finish_forward(&mut self, form: &str) {
        let Some(setter) = defined_name(form).and_then(|name| {
            self.forwards
                .remove(name)
                .map(|setter| format!("({setter} {name})"))
        }) else {
            return;
        };
        // The definition itself ran; a failure here is Steel refusing the name, reported
        // already by that definition.
        let _ = compile_and_run(&mut self.engine, setter, None);
    }

    /// Guile evaluates a top-level form at once, so a name the file defines later that the
    /// form stores (rather than calls inside a procedure) is "Unbound variable" there; ingot's
    /// placeholder for it must not live on as a value.
    fn check_forwards(
        &mut self,
        src: &SourceText,
        form: Form,
        result: Option<&SteelVal>,
    ) -> Result<(), DslError> {
        // Every forward placeholder belongs to a name still awaiting its definition.
        if self.forwards.is_empty() {
            return Ok(());
        }
        let text = &src.text[form.start..form.end];
        let defined = defined_name(text).and_then(|n| self.engine.extract_value(n).ok());
        let Some(name) = result
            .into_iter()
            .chain(defined.as_ref())
            .find_map(value::find_forward)
        else {
            return Ok(());
        };
        let remedy = match self.cycle_forwards.get(&name) {
            Some(cycle) => format!(
                "the modules import each other ({cycle}) and the one defining it has not got \
                 that far; use it only inside a procedure, or break the cycle"
            ),
            None => "move its definition above this form, or refer to it only inside a \
                     procedure"
                .to_string(),
        };
        Err(used_before_definition(src, form.start, &name, &remedy))
    }

    /// Top-level definitions may be used before they appear (inside procedure bodies), as in
    /// Guile; since each form is compiled alone, give those names a binding first.
    /// Only a name an earlier form (or the definition's own value) mentions needs one: each
    /// forward costs a global, a setter and a copy.
    fn predeclare(&mut self, text: &str, forms: &[Form]) {
        let mut program = String::new();
        let nodes: Vec<Option<reader::Node>> = forms
            .iter()
            .map(|form| reader::read(text.as_bytes(), &mut form.start.clone()))
            .collect();
        self.defined_later = Arc::new(defined_later(nodes.iter().flatten()));
        let mut mentioned = std::collections::HashSet::new();
        for (form, node) in forms.iter().zip(&nodes) {
            let defined = defined_name(&text[form.start..form.end]);
            let needed = defined.filter(|name| {
                mentioned.contains(name) || node.as_ref().is_none_or(|n| uses_itself(n, name))
            });
            if let Some(node) = node {
                node.collect_symbols(&mut mentioned);
            }
            if let Some(name) = defined {
                // A name an earlier evaluation (e.g. a REPL input) used as an unknown operator
                // is now defined: drop its placeholder macro, or it would shadow the definition.
                // A value placeholder is replaced by the definition itself; either way the
                // name is no longer an unknown one.
                if self.placeholders.remove(name) == Some(true) {
                    self.engine
                        .in_scope_macros_mut()
                        .remove(&InternedString::from(name));
                }
                if needed.is_some() && !self.engine.global_exists(name) {
                    let forward = self.forward_program(name);
                    program.push_str(&forward);
                }
            }
        }
        if !program.is_empty() {
            // A name Steel cannot define is reported by the form that defines it.
            let _ = compile_and_run(&mut self.engine, program, None);
        }
    }

    pub(super) fn note_source(&mut self, path: &Path, src: &Arc<SourceText>) {
        if let Some(id) = self.engine.get_source_id(path) {
            self.sources.insert(id.0, src.clone());
        }
    }

    pub(super) fn is_user_span(&self, source: Option<u32>) -> bool {
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

    pub(super) fn locate_steel_span(&self, span: steel::parser::span::Span) -> Option<SourceLoc> {
        let source = span.source_id?.0;
        self.locate(RawSpan {
            start: span.start as usize,
            source,
        })
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

    fn field_location(&self, record: &SteelVal, field: &str) -> Option<SourceLoc> {
        value::record_field_span(record, field)
            .and_then(|s| self.locate(s))
            .or_else(|| self.record_location(record))
    }

    fn base_dir(&self) -> &Path {
        &self.base_dir
    }

    fn warn(&mut self, message: String, location: Option<SourceLoc>) {
        // A record converted twice (the OS, then the image holding it) warns once.
        let warning = super::Warning { message, location };
        if !self.warnings.contains(&warning) {
            self.warnings.push(warning);
        }
    }

    fn read_thunked(
        &mut self,
        record: &SteelVal,
        accessor: &str,
    ) -> Result<Option<SteelVal>, DslError> {
        let accessor = self
            .engine
            .extract_value(accessor)
            .map_err(|e| DslError::Prelude(e.to_string()))?;
        lock(&self.shared).record_failure = None;
        match self
            .engine
            .call_function_with_args(accessor, vec![record.clone()])
        {
            Ok(value) => Ok(Some(value)),
            Err(e) if self.reaches_opaque(&e) => Ok(None),
            Err(e) => Err(self.map_call_error(e)),
        }
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

/// `src` (a session's text so far, or empty) with `scanned`, the text of `original`, appended.
fn append_text(src: &SourceText, scanned: &source::Scanned, original: &str) -> SourceText {
    let mut out = src.clone();
    let (new_base, old_base) = (out.text.len(), out.original.len());
    out.shifts.extend(
        scanned
            .shifts
            .iter()
            .map(|(new, old)| (new + new_base, old + old_base)),
    );
    out.text.push_str(&scanned.text);
    out.original.push_str(original);
    out
}

/// An error at `at` of `src`.
fn located(src: &SourceText, at: usize, message: String, hint: Option<String>) -> DslError {
    DslError::Eval {
        location: Some(location_in(src, at)),
        message,
        hint,
    }
}

/// The name a top-level `(define NAME …)`, `(define (NAME …) …)` or `define-public` defines.
impl Dsl {
    /// A top-level `(define NAME EXPR)` whose EXPR gave a builtin a value ingot does not know
    /// (`(define deps (alist-delete "x" (package-direct-inputs guix)))`) binds NAME to an
    /// opaque value, with a warning at the form: the value matters only where it is used,
    /// and where ingot uses it, an opaque value is an error there. Any other error, and a
    /// procedure's definition, is the form's error.
    fn keep_uncomputed_definition(
        &mut self,
        err: steel::rerrs::SteelErr,
        src: &Arc<SourceText>,
        form: Form,
    ) -> Result<Vec<SteelVal>, DslError> {
        let text = &src.text[form.start..form.end];
        let name = value_definition_name(text)
            .filter(|_| self.reaches_opaque_unmisspelt(&err))
            .map(str::to_string);
        let Some(name) = name else {
            return Err(self.map_error(err, src, form));
        };
        let here = location_in(src, form.start);
        let reason = match self.map_error(err, src, form) {
            DslError::Eval {
                location, message, ..
            } => match location.filter(|l| *l != here) {
                Some(at) if at.file == here.file => {
                    format!("{message} (at {}:{})", at.line, at.column)
                }
                Some(at) => format!("{message} (at {at})"),
                None => message,
            },
            other => return Err(other),
        };
        self.uncomputed.push((name.clone(), reason.clone()));
        // The placeholder shows the name as the text spells it, not as a module's global.
        let user_name = namespace::unmangle(&name);
        let program = format!("(define {name} (%make-unknown '{user_name}))");
        compile_and_run(&mut self.engine, program, None)
            .map_err(|e| self.map_error(e, src, form))?;
        if user_name != name {
            // A user module's definition: said once for all (`warn_uncomputed_in_modules`),
            // as a channel module may hold dozens the image never uses.
            return Ok(Vec::new());
        }
        self.warn(
            format!(
                "`{user_name}` is not computed, because {reason}; it is kept as an opaque \
                 value, an error wherever ingot needs its value"
            ),
            Some(here),
        );
        Ok(Vec::new())
    }
}

/// NAME of `(define NAME EXPR)` or `(define-public NAME EXPR)`, not of a procedure's
/// definition.
fn value_definition_name(form: &str) -> Option<&str> {
    let rest = form
        .strip_prefix("(define-public")
        .or_else(|| form.strip_prefix("(define"))?;
    let rest = rest.strip_prefix(char::is_whitespace)?.trim_start();
    if rest.starts_with('(') {
        return None;
    }
    defined_name(form)
}

fn defined_name(form: &str) -> Option<&str> {
    let rest = form
        .strip_prefix("(define-public")
        .or_else(|| form.strip_prefix("(define*-public"))
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

/// Whether `name` is a global or a macro of the engine.
pub(super) fn is_bound(engine: &steel::steel_vm::engine::Engine, name: &str) -> bool {
    engine.global_exists(name)
        || engine
            .in_scope_macros()
            .contains_key(&InternedString::from(name))
}

/// Guile's "Unbound variable" for `name`, which the top-level form at `form_start` used before
/// its definition ran: located at the use, shown by the name the text writes, with `remedy`.
pub(super) fn used_before_definition(
    src: &SourceText,
    form_start: usize,
    name: &str,
    remedy: &str,
) -> DslError {
    let at = reader::read(src.text.as_bytes(), &mut form_start.clone())
        .and_then(|node| node.find_symbol(name))
        .unwrap_or(form_start);
    // A module's global is shown by the name its text uses.
    let name = namespace::unmangle(name);
    DslError::Eval {
        location: Some(location_in(src, at)),
        message: format!("`{name}` is used before its definition ran"),
        hint: Some(format!(
            "Guile stops here too (Unbound variable: {name}): {remedy}"
        )),
    }
}

/// The symbols of the top-level forms that may define names without a plain `define`:
/// `begin`, `define-values`, record definitions, and uses of the text's own macros.
fn defined_later<'a>(nodes: impl Iterator<Item = &'a reader::Node> + Clone) -> HashSet<String> {
    let macros: HashSet<&str> = nodes
        .clone()
        .filter(|n| matches!(n.head(), Some("define-syntax" | "define-syntax-rule")))
        .filter_map(|n| {
            let target = n.items()?.get(1)?;
            target
                .symbol()
                .or_else(|| target.items()?.first()?.symbol())
        })
        .collect();
    let mut symbols = HashSet::new();
    for node in nodes {
        let definer = match node.head() {
            Some("begin" | "define-values" | "define-record-type" | "define-record-type*") => true,
            Some(head) => macros.contains(head),
            None => false,
        };
        if definer {
            node.collect_symbols(&mut symbols);
        }
    }
    symbols.into_iter().map(str::to_string).collect()
}

/// Whether a definition's value or body mentions the name it defines (a recursive procedure,
/// or Guile's unbound `(define x (list x))`).
fn uses_itself(form: &reader::Node, name: &str) -> bool {
    let Some(items) = form.items() else {
        return true;
    };
    let header_rest = items
        .get(1)
        .and_then(reader::Node::items)
        .map(|header| header.get(1..).unwrap_or_default())
        .unwrap_or_default();
    items
        .get(2..)
        .unwrap_or_default()
        .iter()
        .chain(header_rest)
        .any(|n| n.find_symbol(name).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_definitions_that_use_their_own_name() {
        let read = |t: &str| reader::read(t.as_bytes(), &mut 0).unwrap();
        assert!(uses_itself(&read("(define (f n) (f n))"), "f"));
        assert!(uses_itself(&read("(define x (list x))"), "x"));
        assert!(uses_itself(&read("(define* (f #:key (d (f))) 1)"), "f"));
        assert!(!uses_itself(&read("(define (f n) (g n))"), "f"));
        assert!(!uses_itself(&read("(define x '(x))"), "x"));
    }

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
}
