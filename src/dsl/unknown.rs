//! Unbound names in user text become placeholders instead of stopping evaluation.
//!
//! Steel reports one unbound name per compilation; the form is compiled again after each
//! placeholder. A name in value position becomes an opaque value (that can also be called); a
//! name in operator position becomes a macro that keeps the call's arguments unevaluated,
//! since they are typically the fields of a Guix configuration record ingot does not know.

use std::path::Path;
use std::sync::Arc;

use steel::parser::interner::InternedString;
use steel::rerrs::{ErrorKind, SteelErr};
use steel::SteelVal;

use super::calls::{enclosing_unbound_calls, NameKind};
use super::compile_lock::compile_and_run;
use super::source::{self, Form};
use super::{Dsl, SourceText};

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
    /// Compiles and runs one form; a name Steel reports unbound becomes a placeholder and the
    /// form is compiled again.
    pub(super) fn run_form(
        &mut self,
        padded: &str,
        path: &Path,
        src: &Arc<SourceText>,
        form: Form,
    ) -> Result<Vec<SteelVal>, SteelErr> {
        let mut tried = Vec::new();
        loop {
            let result = compile_and_run(
                &mut self.engine,
                padded.to_string(),
                Some(path.to_path_buf()),
            );
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
            // Typed at the REPL, a procedure's body may call what the next input defines
            // (lines pasted one by one): the name is a global that definition replaces.
            if self.late_bound_bodies && defines_procedure(&src.text[form.start..form.end]) {
                if tried.contains(&(name.clone(), false))
                    || tried.len() >= MAX_PLACEHOLDERS_PER_FORM
                {
                    return Err(err);
                }
                tried.push((name.clone(), false));
                let program = self.forward_program(&name);
                compile_and_run(&mut self.engine, program, None)?;
                self.warnings.push(super::Warning {
                    message: format!("`{name}` is not defined yet: define it before the call"),
                    location: Some(super::diagnose::location_in(src, at)),
                });
                continue;
            }
            // Steel reports the arguments of a call before its operator: in
            // `(openssh-configuration (port-number 2222))` it names port-number first. When an
            // enclosing operator is unbound too, make that one the placeholder: its arguments
            // are then kept unevaluated and their field names are not reported.
            let classify = |name: &str| self.classify(name);
            let outer = enclosing_unbound_calls(&src.text, form.start, at, &classify)
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
        compile_and_run(&mut self.engine, program, None).map(|_| ())
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
}

/// `(define (NAME …) …)` or `(define NAME (lambda …))`: a form whose free names are only
/// looked up when the procedure is called.
fn defines_procedure(form: &str) -> bool {
    let Some(rest) = ["(define-public", "(define*", "(define"]
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
