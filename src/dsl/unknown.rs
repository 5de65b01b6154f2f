//! Unbound names in user text become placeholders instead of stopping evaluation.
//!
//! A form Steel cannot compile for a free name is macro-expanded once and all its free names
//! are found in that expansion (`free_names`); they are declared, then the form is compiled
//! again (walked again after declaring an operator, whose clauses Steel had expanded as code,
//! or binding a name Steel renamed for hygiene). A name in value position
//! becomes an opaque value (that can also be called); a name in operator position becomes a
//! macro that keeps the call's arguments unevaluated, since they are typically the fields of
//! a Guix configuration record ingot does not know. A call on one name or literal evaluates
//! it (`(wireguard-peer-name p)`), and an accessor `RECORD-FIELD` of such a kept record form
//! gives the field's value, literal or computed (`%apply-unknown` in the prelude).

use std::path::Path;
use std::sync::Arc;

use steel::parser::interner::InternedString;
use steel::rerrs::{ErrorKind, SteelErr};
use steel::SteelVal;

use super::compile_lock::{compile_and_run, compiling};
use super::free_names::{free_names, Calls, FreeName, FreeNames};
use super::source::Form;
use super::{Dsl, SourceText};

/// Guix records whose clauses a placeholder keeps only as written, never as code: a package's
/// and an origin's fields are build recipes ingot never runs (it builds no packages), and they
/// are most of a channel module's text. Their accessors give literal fields only.
pub(super) const KEPT_AS_WRITTEN: &[&str] = &["package", "origin"];

/// Steel's prefix for a template name it renamed for hygiene (`rename_idents`).
const HYGIENIC_PREFIX: &str = "##";

/// Walks of one form: each round declares at least one new name, so this bounds the nesting of
/// unknown calls inside each other's clauses (and a name Steel keeps renaming).
const MAX_ROUNDS: usize = 8;

impl Dsl {
    /// Compiles and runs one form; if it has free names, declares them all as placeholders
    /// and compiles it once more. Steel still finding a free name then is an error at that
    /// name, never a retry.
    pub(super) fn run_form(
        &mut self,
        padded: &str,
        path: &Path,
        src: &Arc<SourceText>,
        form: Form,
    ) -> Result<Vec<SteelVal>, SteelErr> {
        // Most forms name nothing unknown: compile first, and walk the expansion only when
        // Steel finds a free name (known by its kind, not its message). Steel resolves names
        // for the whole form before any of it runs (`raw_program_to_executable`).
        let first = compile_and_run(
            &mut self.engine,
            padded.to_string(),
            Some(path.to_path_buf()),
        );
        self.note_source(path, src);
        match first {
            Err(e) if e.kind() == ErrorKind::FreeIdentifier => {}
            other => return other,
        }
        // Typed at the REPL, a procedure's body may call what the next input defines
        // (lines pasted one by one): the name is a global that definition replaces.
        let late = self.late_bound_bodies && defines_procedure(&src.text[form.start..form.end]);
        let calls = if late {
            Calls::Evaluated
        } else {
            Calls::Opaque
        };
        // Once a hygiene-renamed name is bound, or an unknown operator is declared, the
        // expansion differs and can show other free names: walk again (bounded: each round
        // binds new names). Before its placeholder exists, Steel expands an unknown call's
        // clauses as code, so a clause named like a prelude macro, `(image (file-append %x
        // …))` in `(foo-configuration …)`, is expanded as the image record and the names in
        // its value are missed; the placeholder then keeps that clause as (FIELD VALUE).
        let mut named = Vec::new();
        let mut round = 0;
        loop {
            round += 1;
            let free = self.free_names(padded, path, calls)?;
            self.note_source(path, src);
            if self.refuse_unknowns && !late {
                let user: Vec<String> = free
                    .names
                    .iter()
                    .filter(|f| self.is_user_span(f.source))
                    .map(|f| f.name.clone())
                    .collect();
                if !user.is_empty() {
                    for name in &user {
                        if !self.unknowns.contains(name) {
                            self.unknowns.push(name.clone());
                        }
                    }
                    return Err(SteelErr::new(
                        ErrorKind::FreeIdentifier,
                        format!("unbound name: {}", user.join(", ")),
                    ));
                }
            }
            if !late {
                self.warn_tested_unknowns(src, &free.tests);
            }
            let mut program = String::new();
            let mut renamed = Vec::new();
            let mut operators = false;
            for FreeName {
                name,
                operator,
                at,
                source,
            } in free.names
            {
                // A name in ingot's own text is not the user's to declare: Steel reports it.
                if !self.is_user_span(source) {
                    continue;
                }
                if late {
                    if named.contains(&name) {
                        continue;
                    }
                    program.push_str(&self.forward_program(&name));
                    self.warnings.push(super::Warning {
                        message: format!("`{name}` is not defined yet: define it before the call"),
                        location: Some(super::diagnose::location_in(src, at)),
                    });
                } else {
                    // A macro template's name that a local of the same spelling would capture
                    // is renamed by Steel's expansion, and no program text can spell the new
                    // name: the placeholder goes under the user's spelling, bound to it below.
                    let spelt = name.strip_prefix(HYGIENIC_PREFIX).unwrap_or(&name);
                    program.push_str(&self.placeholder_program(spelt, operator));
                    if !self.unknowns.iter().any(|u| u == spelt) {
                        self.unknowns.push(spelt.to_string());
                    }
                    if spelt != name {
                        renamed.push((name.clone(), spelt.to_string(), operator));
                    }
                    operators |= operator;
                }
                named.push(name);
            }
            if !program.is_empty() {
                compile_and_run(&mut self.engine, program, None)?;
            }
            for (name, spelt, operator) in &renamed {
                self.bind_renamed(name, spelt, *operator)?;
            }
            let result = compile_and_run(
                &mut self.engine,
                padded.to_string(),
                Some(path.to_path_buf()),
            );
            self.note_source(path, src);
            match result {
                Err(e)
                    if e.kind() == ErrorKind::FreeIdentifier
                        && (!renamed.is_empty() || operators)
                        && round < MAX_ROUNDS => {}
                other => return other,
            }
        }
    }

    /// A name ingot does not know, tested by an `if` (or `cond`, `when`, `and` …): its
    /// placeholder is true, so the test always takes its first branch where Guile would stop
    /// with "Unbound variable" if the name is a misspelling. Said once per place.
    fn warn_tested_unknowns(&mut self, src: &Arc<SourceText>, tests: &[FreeName]) {
        let bound = self.misspelling_targets();
        let mut said: Vec<(&str, usize)> = Vec::new();
        let mut warnings = Vec::new();
        for test in tests {
            if !self.is_user_span(test.source) || said.contains(&(test.name.as_str(), test.at)) {
                continue;
            }
            said.push((test.name.as_str(), test.at));
            let name = test
                .name
                .strip_prefix(HYGIENIC_PREFIX)
                .unwrap_or(&test.name);
            let close = super::diagnose::closest_bound_name(&self.engine, name, &bound)
                .map(|c| format!(" (did you mean `{c}`)"))
                .unwrap_or_default();
            warnings.push(super::Warning {
                message: format!(
                    "`{name}` is not known to ingot{close}: this test is an opaque value, \
                     which is true, so the first branch is always taken; Guile stops here if \
                     the name is unbound"
                ),
                location: Some(super::diagnose::location_in(src, test.at)),
            });
        }
        self.warnings.extend(warnings);
    }

    /// The free names of the form `padded`, from its macro expansion (which also defines the
    /// form's macros, as compiling it does).
    fn free_names(
        &mut self,
        padded: &str,
        path: &Path,
        calls: Calls,
    ) -> Result<FreeNames, SteelErr> {
        let expanded = {
            let _one = compiling();
            self.engine
                .emit_expanded_ast(padded, Some(path.to_path_buf()))
        }?;
        let engine = &self.engine;
        Ok(free_names(
            &expanded,
            &|name| engine.global_exists(name),
            &|name| self.is_accessor(name),
            calls,
        ))
    }

    /// Binds Steel's hygienic rename `name` of `spelt` to the placeholder just declared
    /// under `spelt`: from Rust, as no program text can spell the renamed name.
    fn bind_renamed(&mut self, name: &str, spelt: &str, operator: bool) -> Result<(), SteelErr> {
        if operator {
            let mut macros = self.engine.in_scope_macros_mut();
            if let Some(placeholder) = macros.get(&InternedString::from(spelt)).cloned() {
                macros.insert(InternedString::from(name), placeholder);
            }
        } else {
            let value = compile_and_run(&mut self.engine, spelt.to_string(), None)?
                .pop()
                .unwrap_or(SteelVal::Void);
            self.engine.register_value(name, value);
        }
        Ok(())
    }

    /// An unbound name: as an operator, a macro that keeps its arguments unevaluated (they
    /// are typically the fields of a Guix configuration record ingot does not know) unless
    /// it is one name or literal; as a value, an opaque value that can also be called.
    fn placeholder_program(&mut self, raw: &str, operator: bool) -> String {
        let spelt = super::source::steel_name(raw);
        let name = spelt.as_str();
        let program = if operator && self.is_accessor(raw) {
            // Guix's accessor of a record: a procedure, whose arguments are evaluated.
            format!(
                "(define-syntax {name} (syntax-rules () \
                 ((_ . args) (%apply-unknown '{name} (list . args)))))"
            )
        } else if operator {
            // One name or literal is evaluated, as Guix does for a procedure's argument (an
            // accessor's record, `(wireguard-peer-name p)`); a clause or more are kept. Clauses
            // shaped as a record's fields, (FIELD VALUE) …, also keep their VALUEs as code,
            // so that the record's accessor can give a computed field (evaluated only then,
            // where ingot reads it).
            let fields = if KEPT_AS_WRITTEN.contains(&name) {
                String::new()
            } else {
                format!(
                    "((_ (field value) ...) (%make-unknown-record '{name} '((field value) ...) \
                     (lambda (%field) (%field-dispatch %field (field value) ...))))"
                )
            };
            format!(
                "(define-syntax {name} (syntax-rules () {fields} \
                 ((_ (head . tail) . rest) (%make-unknown-call '{name} '((head . tail) . rest))) \
                 ((_ arg) (%apply-unknown '{name} (list arg))) \
                 ((_ . args) (%make-unknown-call '{name} 'args))))"
            )
        } else if self.defined_later.contains(name) {
            // A later form may define it without a plain `define` (a `begin`, a macro): code
            // compiled now keeps this global, so the definition is copied into it then.
            let setter = super::source::steel_name(&format!("%ingot__placeholder-{raw}"));
            let program = format!(
                "(define {name} (%make-unknown '{name}))\n(define ({setter} v) (set! {name} v))"
            );
            self.placeholder_setters.insert(raw.to_string(), setter);
            program
        } else {
            format!("(define {name} (%make-unknown '{name}))")
        };
        self.placeholders.insert(raw.to_string(), operator);
        program + "\n"
    }

    /// After a form ran: a value placeholder it defined (inside a `begin`, by a macro, by
    /// `define-values`) gets the definition's value where earlier code reads it, and is no
    /// longer an unknown name.
    pub(super) fn finish_placeholders(&mut self) -> Result<(), super::DslError> {
        if self.placeholder_setters.is_empty() {
            return Ok(());
        }
        let defined: Vec<(String, String)> = self
            .placeholder_setters
            .iter()
            .filter(|(name, _)| {
                self.engine
                    .extract_value(name)
                    .is_ok_and(|v| !super::value::is_struct(&v, super::value::layout::UNKNOWN))
            })
            .map(|(n, s)| (n.clone(), s.clone()))
            .collect();
        for (name, setter) in defined {
            self.placeholder_setters.remove(&name);
            self.placeholders.remove(&name);
            self.unknowns.retain(|u| *u != name);
            // A value stored earlier holds the placeholder: in Guile that form stopped with
            // "Unbound variable", as for a forward (see `check_forwards`).
            if let Some((src, start)) = self.stored_placeholders.remove(&name) {
                return Err(super::eval::used_before_definition(
                    &src,
                    start,
                    &name,
                    "a later form defines it; move that form above this one, or refer to it \
                     only inside a procedure",
                ));
            }
            // The definition ran; a failure here is Steel refusing the name, reported by it.
            let name = super::source::steel_name(&name);
            let _ = compile_and_run(&mut self.engine, format!("({setter} {name})"), None);
        }
        Ok(())
    }

    /// After a form ran: whether its value, or the value it defined, holds a placeholder a
    /// later form may still define (remembered, for `finish_placeholders`).
    pub(super) fn note_stored_placeholders(
        &mut self,
        src: &Arc<SourceText>,
        start: usize,
        values: &[SteelVal],
        defined: Option<&str>,
    ) {
        if self.placeholder_setters.len() <= self.stored_placeholders.len() {
            return;
        }
        let defined = defined.and_then(|n| self.engine.extract_value(n).ok());
        let setters = &self.placeholder_setters;
        let stored = &self.stored_placeholders;
        let wanted = |n: &str| setters.contains_key(n) && !stored.contains_key(n);
        let found = values.iter().chain(defined.as_ref()).find_map(|v| {
            super::value::find_placeholder(v, super::value::layout::UNKNOWN, &wanted)
        });
        if let Some(name) = found {
            self.stored_placeholders.insert(name, (src.clone(), start));
        }
    }
}

impl Dsl {
    /// Whether the unknown operator `name` is spelt as Guix spells a record's accessor,
    /// RECORD-FIELD, for a RECORD already declared as an unknown operator (its constructor,
    /// `(wireguard-peer (name "alpha"))`, by an earlier form or earlier in this form's walk):
    /// its calls evaluate their arguments.
    fn is_accessor(&self, name: &str) -> bool {
        self.accessor_record(name).is_some()
    }

    /// `(name, RECORD)` when `name` is an accessor of RECORD (see `is_accessor`).
    pub(super) fn accessor_record<'a>(&self, name: &'a str) -> Option<(&'a str, &'a str)> {
        name.char_indices()
            .filter(|&(i, c)| c == '-' && i + 1 < name.len())
            .map(|(i, _)| &name[..i])
            .find(|record| self.placeholders.get(*record) == Some(&true))
            .map(|record| (name, record))
    }
}

/// `(define (NAME …) …)` or `(define NAME (lambda …))`: a form whose free names are only
/// looked up when the procedure is called.
fn defines_procedure(form: &str) -> bool {
    let Some(rest) = ["(define-public", "(define*-public", "(define*", "(define"]
        .iter()
        .find_map(|head| form.strip_prefix(head))
        .filter(|rest| rest.starts_with(char::is_whitespace))
    else {
        return false;
    };
    let rest = rest.trim_start();
    if rest.starts_with('(') {
        return true;
    }
    let value = rest
        .trim_start_matches(|c: char| !c.is_whitespace() && !"()".contains(c))
        .trim_start();
    ["(lambda", "(λ", "(lambda*"].iter().any(|head| {
        value
            .strip_prefix(head)
            .is_some_and(|r| r.starts_with(char::is_whitespace))
    })
}

#[cfg(test)]
mod tests {
    use super::defines_procedure;

    #[test]
    fn knows_procedure_definitions() {
        assert!(defines_procedure("(define (f) (g))"));
        assert!(defines_procedure("(define* (f #:key x) x)"));
        assert!(defines_procedure("(define f (lambda (x) (g x)))"));
        assert!(!defines_procedure("(define x (g))"));
        assert!(!defines_procedure("(define-syntax m (g))"));
        assert!(!defines_procedure("(g (lambda (x) x))"));
    }
}
