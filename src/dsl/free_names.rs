//! The free names of a form, read from Steel's macro-expanded core syntax in one walk.
//!
//! After expansion every binding form is one of Steel's core forms (lambda, let, define,
//! begin, if, set!, quote), whatever macro — a user's `syntax-rules`, `match`,
//! `modify-services` — it was written with, so scopes are exact. A call whose operator is free
//! is reported as one name and its arguments are not walked as calls: they are typically the
//! field clauses of a Guix record ingot does not know, kept unevaluated by the placeholder.
//! The VALUE of each clause (FIELD VALUE) is walked, as the placeholder keeps it as a
//! procedure for the record's accessors; its one argument that is a name is walked: the
//! placeholder evaluates it (`(wireguard-peer-name p)`), and so are all the arguments of a
//! record's accessor (see `Dsl::is_accessor`).

use std::collections::{HashMap, HashSet};

use steel::parser::ast::ExprKind;
use steel::parser::interner::InternedString;
use steel::parser::parser::SyntaxObject;

/// A free name where the walk first met it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct FreeName {
    pub name: String,
    /// The operator of a call (its arguments were not walked), not a value.
    pub operator: bool,
    /// Byte offset of the name in the compiled text, and Steel's id of that text.
    pub at: usize,
    pub source: Option<u32>,
}

/// The free names of a form, and those of them the form tests (see `FreeNames::tests`).
#[derive(Debug, Default)]
pub(super) struct FreeNames {
    pub names: Vec<FreeName>,
    /// Each place a free name is the test of an `if` (after expansion: of a `cond`, `when`,
    /// `and` … too): the name itself, a call of it, or `(not …)` of those. Its placeholder
    /// is true, so such a test always takes the first branch.
    pub tests: Vec<FreeName>,
}

/// How a walk treats the calls of free operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Calls {
    /// Report the operator alone: its arguments stay unevaluated.
    Opaque,
    /// Walk the arguments too and report them first, as Steel would meet them: a procedure
    /// body whose free names are all looked up late.
    Evaluated,
}

/// Steel's name prefix for a lambda it lifted out of a form into a global of its own.
const LIFTED: &str = "##__lifted_pure_function";

/// The free names of `exprs` (one top-level form, expanded and optimised as Steel compiles
/// it), in the order Steel meets them; `global` says whether a name is bound in the engine.
/// A name met first as a value and later as an operator is reported once (the call then
/// calls that value); met first as an operator and later as a value, it is reported twice,
/// once each way.
pub(super) fn free_names(
    exprs: &[ExprKind],
    global: &dyn Fn(&str) -> bool,
    accessor: &dyn Fn(&str) -> bool,
    calls: Calls,
) -> FreeNames {
    // Steel lets a procedure refer to a global the same form defines further on.
    let top_defined: Vec<InternedString> = exprs.iter().flat_map(internal_definitions).collect();
    let lifted: HashMap<InternedString, &ExprKind> =
        exprs.iter().filter_map(lifted_lambda).collect();
    // Steel lifts lambdas to the front of the form, those inside the arguments of an unknown
    // call too; such a lambda is no code once the call's arguments are kept unevaluated.
    // First find the lifted lambdas that the evaluated code refers to...
    let mut reach = Walk::new(global, accessor, calls, top_defined.clone(), Some(&lifted));
    for expr in exprs.iter().filter(|e| lifted_lambda(e).is_none()) {
        reach.expr(expr);
    }
    // ...then walk those and the rest in Steel's order.
    let mut walk = Walk::new(global, accessor, calls, top_defined, None);
    for expr in exprs {
        if lifted_lambda(expr).is_some_and(|(name, _)| !reach.reached.contains(&name)) {
            continue;
        }
        walk.expr(expr);
    }
    FreeNames {
        names: walk.found,
        tests: walk.tests,
    }
}

/// `(define ##__lifted_pure_functionN (lambda …))`: its name and lambda.
fn lifted_lambda(expr: &ExprKind) -> Option<(InternedString, &ExprKind)> {
    let ExprKind::Define(d) = expr else {
        return None;
    };
    let name = d.name.atom_identifier()?;
    name.resolve()
        .starts_with(LIFTED)
        .then_some((*name, &d.body))
}

struct Walk<'a> {
    global: &'a dyn Fn(&str) -> bool,
    /// A free operator whose placeholder evaluates its arguments (a record's accessor).
    accessor: &'a dyn Fn(&str) -> bool,
    calls: Calls,
    /// Local scopes, innermost last.
    scopes: Vec<Vec<InternedString>>,
    /// Globals the form itself defines.
    top_defined: Vec<InternedString>,
    found: Vec<FreeName>,
    tests: Vec<FreeName>,
    /// Names reported so far: (as a value, as an operator).
    seen: HashMap<InternedString, (bool, bool)>,
    /// When given, a reference to a lifted lambda walks its body there, once.
    lifted: Option<&'a HashMap<InternedString, &'a ExprKind>>,
    reached: HashSet<InternedString>,
}

impl<'a> Walk<'a> {
    fn new(
        global: &'a dyn Fn(&str) -> bool,
        accessor: &'a dyn Fn(&str) -> bool,
        calls: Calls,
        top_defined: Vec<InternedString>,
        lifted: Option<&'a HashMap<InternedString, &'a ExprKind>>,
    ) -> Self {
        Walk {
            global,
            accessor,
            calls,
            scopes: Vec::new(),
            top_defined,
            found: Vec::new(),
            tests: Vec::new(),
            seen: HashMap::new(),
            lifted,
            reached: HashSet::new(),
        }
    }
}

impl Walk<'_> {
    fn bound(&self, name: &InternedString) -> bool {
        self.scopes.iter().any(|s| s.contains(name))
            || self.top_defined.contains(name)
            || (self.global)(name.resolve())
    }

    /// An accessor RECORD-FIELD of a RECORD known before (`accessor`) or an unknown operator
    /// this walk met first: declared in this order, RECORD is a placeholder by then.
    fn is_accessor(&self, name: &str) -> bool {
        (self.accessor)(name)
            || self.found.iter().any(|f| {
                f.operator
                    && name.len() > f.name.len() + 1
                    && name.starts_with(&f.name)
                    && name[f.name.len()..].starts_with('-')
            })
    }

    fn report(&mut self, name: InternedString, syn: &SyntaxObject, operator: bool) {
        let seen = self.seen.entry(name).or_default();
        if operator {
            seen.1 = true;
        } else {
            seen.0 = true;
        }
        self.found.push(FreeName {
            name: name.resolve().to_string(),
            operator,
            at: syn.span.start as usize,
            source: syn.span.source_id.map(|s| s.0),
        });
    }

    /// After walking the test of an `if`: a free name it tests (see `FreeNames::tests`).
    fn note_test(&mut self, test: &ExprKind) {
        let tested = match test {
            ExprKind::Atom(a) => Some(&a.syn),
            ExprKind::List(l) => match l.args.as_slice() {
                [ExprKind::Atom(not), inner]
                    if not.ident().is_some_and(|n| n.resolve() == "not") =>
                {
                    return self.note_test(inner);
                }
                [ExprKind::Atom(head), ..] => Some(&head.syn),
                _ => None,
            },
            _ => None,
        };
        let Some(syn) = tested else {
            return;
        };
        let Some(name) = syn.ty.identifier().copied() else {
            return;
        };
        if self.seen.contains_key(&name) && !self.bound(&name) {
            self.tests.push(FreeName {
                name: name.resolve().to_string(),
                operator: false,
                at: syn.span.start as usize,
                source: syn.span.source_id.map(|s| s.0),
            });
        }
    }

    /// A reference to a name in value position.
    fn value(&mut self, syn: &SyntaxObject) {
        let Some(name) = syn.ty.identifier().copied() else {
            return;
        };
        if let Some(body) = self.lifted.and_then(|l| l.get(&name)) {
            if self.reached.insert(name) {
                // A lifted lambda is closed: no local of this place is in its scope.
                let scopes = std::mem::take(&mut self.scopes);
                self.expr(body);
                self.scopes = scopes;
            }
            return;
        }
        if self.bound(&name) || self.seen.get(&name).is_some_and(|s| s.0) {
            return;
        }
        self.report(name, syn, false);
    }

    fn expr(&mut self, expr: &ExprKind) {
        match expr {
            ExprKind::Atom(atom) => self.value(&atom.syn),
            ExprKind::List(list) => self.call(&list.args),
            ExprKind::If(f) => {
                self.expr(&f.test_expr);
                self.note_test(&f.test_expr);
                self.expr(&f.then_expr);
                self.expr(&f.else_expr);
            }
            ExprKind::Let(l) => {
                // Steel's core let: the values see the outer scope.
                for (_, value) in &l.bindings {
                    self.expr(value);
                }
                let names = l
                    .bindings
                    .iter()
                    .filter_map(|(name, _)| name.atom_identifier().copied())
                    .collect();
                self.scopes.push(names);
                self.expr(&l.body_expr);
                self.scopes.pop();
            }
            ExprKind::LambdaFunction(l) => {
                let mut names = Vec::new();
                for arg in &l.args {
                    match arg {
                        ExprKind::Atom(a) => names.extend(a.ident().copied()),
                        // An optional argument with its default: (name default).
                        ExprKind::List(pair) => {
                            if let Some(default) = pair.args.get(1) {
                                self.expr(default);
                            }
                            names.extend(pair.args.first().and_then(|n| n.atom_identifier()));
                        }
                        _ => {}
                    }
                }
                names.extend(internal_definitions(&l.body));
                self.scopes.push(names);
                self.expr(&l.body);
                self.scopes.pop();
            }
            ExprKind::Define(d) => self.expr(&d.body),
            ExprKind::Begin(b) => {
                for e in &b.exprs {
                    self.expr(e);
                }
            }
            ExprKind::Return(r) => self.expr(&r.expr),
            ExprKind::Set(s) => {
                self.expr(&s.expr);
                self.expr(&s.variable);
            }
            // Data, and syntax already taken out by the expansion.
            ExprKind::Quote(_)
            | ExprKind::Macro(_)
            | ExprKind::SyntaxRules(_)
            | ExprKind::Require(_)
            | ExprKind::Vector(_) => {}
        }
    }

    fn call(&mut self, items: &[ExprKind]) {
        let head = match items.first() {
            Some(ExprKind::Atom(a)) => a.ident().copied().map(|n| (n, &a.syn)),
            _ => None,
        };
        if let Some((name, syn)) = head {
            let seen = self.seen.get(&name).copied().unwrap_or_default();
            if !self.bound(&name) && !seen.0 {
                let evaluated = self.calls == Calls::Evaluated || self.is_accessor(name.resolve());
                match if evaluated {
                    Calls::Evaluated
                } else {
                    Calls::Opaque
                } {
                    Calls::Opaque => {
                        // The placeholder evaluates a lone name (see `placeholder_program`).
                        if let [_, ExprKind::Atom(arg)] = items {
                            self.value(&arg.syn);
                        }
                        if !seen.1 {
                            self.report(name, syn, true);
                        }
                        if self.keeps_fields(name.resolve()) {
                            self.field_values(&items[1..]);
                        }
                    }
                    Calls::Evaluated => {
                        items[1..].iter().for_each(|e| self.expr(e));
                        if !seen.1 {
                            self.report(name, syn, true);
                        }
                    }
                }
                return;
            }
        }
        // Steel evaluates the arguments before the operator.
        items[1..].iter().for_each(|e| self.expr(e));
        if let Some(op) = items.first() {
            self.expr(op);
        }
    }
}

impl Walk<'_> {
    /// Whether the placeholder of the unknown operator `name` keeps its field clauses' values
    /// as code (see `Dsl::placeholder_program`).
    fn keeps_fields(&self, name: &str) -> bool {
        !super::unknown::KEPT_AS_WRITTEN.contains(&name)
    }

    /// The VALUE of each field clause (FIELD VALUE) of an unknown call, which its placeholder
    /// compiles (`%field-dispatch`): each sees the FIELDs before it, as in Guix's record
    /// constructors; FIELD itself is no reference. A clause headed by a list is a pattern,
    /// no field; `inherit` binds no name.
    fn field_values(&mut self, clauses: &[ExprKind]) {
        let mut fields = Vec::new();
        for clause in clauses {
            let ExprKind::List(clause) = clause else {
                continue;
            };
            match clause.args.as_slice() {
                [ExprKind::List(head), _] if !head.args.is_empty() => {}
                [head, value] => {
                    self.scopes.push(fields.clone());
                    self.expr(value);
                    self.scopes.pop();
                    let field = head.atom_identifier().copied();
                    fields.extend(field.filter(|f| f.resolve() != "inherit"));
                }
                _ => {}
            }
        }
    }
}

/// The names a body defines for itself (`define` inside a lambda body: letrec* scope).
fn internal_definitions(body: &ExprKind) -> Vec<InternedString> {
    match body {
        ExprKind::Define(d) => d.name.atom_identifier().copied().into_iter().collect(),
        ExprKind::Begin(b) => b.exprs.iter().flat_map(internal_definitions).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use steel::steel_vm::engine::Engine;

    use super::super::compile_lock::{compile_and_run, compiling};
    use super::*;

    fn free(engine: &mut Engine, text: &str, calls: Calls) -> Vec<(String, bool)> {
        let exprs = {
            let _one = compiling();
            engine.emit_expanded_ast(text, None)
        }
        .expect("the form expands");
        let engine = &*engine;
        free_names(
            &exprs,
            &|n| engine.global_exists(n),
            &|n| n.ends_with("-acc"),
            calls,
        )
        .names
        .into_iter()
        .map(|f| (f.name, f.operator))
        .collect()
    }

    fn names(list: &[(&str, bool)]) -> Vec<(String, bool)> {
        list.iter().map(|(n, o)| (n.to_string(), *o)).collect()
    }

    #[test]
    fn free_operators_hide_their_arguments_and_scopes_are_exact() {
        let mut e = Engine::new();
        let opaque = Calls::Opaque;
        // The VALUE of a field clause (FIELD VALUE) of an unknown call is walked, a lambda
        // Steel lifted out of it too; FIELD, other arguments and pattern clauses are not.
        let text = "(define x (foo-conf (port (lambda () yy)) (bar 1 zz) ((pat p) (p qq))))";
        assert_eq!(
            free(&mut e, text, opaque),
            names(&[("foo-conf", true), ("yy", false)])
        );
        // A field's VALUE sees the FIELDs before it; `inherit` binds none. A package's
        // clauses are kept as written (`KEPT_AS_WRITTEN`): not walked.
        let text = "(list (conf (inherit base) (version \"1\") (uri (mk version inherit))) \
                    (package (version \"2\") (source (mk2 version))))";
        assert_eq!(
            free(&mut e, text, opaque),
            names(&[
                ("conf", true),
                ("base", false),
                ("mk", true),
                ("package", true)
            ])
        );
        // A lone name is evaluated by the placeholder: walked.
        let text = "(list (acc-x rec) (acc-y \"s\") (acc-z (c 1)))";
        assert_eq!(
            free(&mut e, text, opaque),
            names(&[
                ("rec", false),
                ("acc-x", true),
                ("acc-y", true),
                ("acc-z", true)
            ])
        );
        // An accessor's arguments are walked (the test's accessors end in -acc).
        assert_eq!(
            free(&mut e, "(list (r-acc (car xs)) (other (car ys)))", opaque),
            names(&[
                ("xs", false),
                ("r-acc", true),
                ("other", true),
                ("ys", false)
            ])
        );
        // So are those of RECORD-FIELD after the walk met RECORD as an operator.
        assert_eq!(
            free(
                &mut e,
                "(list (rec (f 1)) (rec-f (car zs)) (rec (g qq)))",
                opaque
            ),
            names(&[("rec", true), ("zs", false), ("rec-f", true), ("qq", false)])
        );
        let text = "(list a (b (c 1)) a (list d))";
        assert_eq!(
            free(&mut e, text, opaque),
            names(&[("a", false), ("b", true), ("d", false)])
        );
        let text = "(define (f g) (let loop ((h (kk 1))) (g (h (zz 2)))))";
        assert_eq!(
            free(&mut e, text, opaque),
            names(&[("kk", true), ("zz", true)])
        );
        // A value first: the later call calls it. An operator first: the value is its own.
        assert_eq!(
            free(&mut e, "(list vv (vv (ww 1)))", opaque),
            names(&[("vv", false), ("ww", true)])
        );
        assert_eq!(
            free(&mut e, "(list (oo 2) oo)", opaque),
            names(&[("oo", true), ("oo", false)])
        );
        // What the form defines is bound in it, even further on; quoted data is no name.
        let text = "(begin (define (f) (g 'h)) (define (g x) x))";
        assert!(free(&mut e, text, opaque).is_empty());
        // Bindings made by a macro (Steel's `cond` and `when` here) are known after expansion.
        let text = "(let ((p 1)) (cond ((= p 1) (when p (q p))) (else r)))";
        assert_eq!(
            free(&mut e, text, opaque),
            names(&[("q", true), ("r", false)])
        );
    }

    #[test]
    fn tested_free_names() {
        let mut e = Engine::new();
        let tests = |e: &mut Engine, text: &str| {
            let exprs = {
                let _one = compiling();
                e.emit_expanded_ast(text, None)
            }
            .expect("the form expands");
            let e = &*e;
            free_names(&exprs, &|n| e.global_exists(n), &|_| false, Calls::Opaque)
                .tests
                .into_iter()
                .map(|f| f.name)
                .collect::<Vec<_>>()
        };
        // The name, a call of it, (not …) of those, through cond and when; a bound name, a
        // local and a name only in a branch are not tested.
        let text = "(list (if a 1 2) (cond ((not (b? 1)) 1) (else 2)) (when (c 1) 3) \
                    (if (car '(1)) d 2) (let ((e #t)) (if e 1 2)))";
        assert_eq!(tests(&mut e, text), vec!["a", "b?", "c"]);
    }

    #[test]
    fn a_macro_template_and_late_bodies() {
        let mut e = Engine::new();
        compile_and_run(
            &mut e,
            "(define-syntax my-mac (syntax-rules () ((_ a) (zork a qq))))",
            None,
        )
        .expect("the macro is defined");
        // The template's free operator is the outermost one: its arguments are not walked.
        assert_eq!(
            free(&mut e, "(my-mac (inner 1))", Calls::Opaque),
            names(&[("zork", true)])
        );
        // A late-bound body has every name reported, arguments before their operator.
        assert_eq!(
            free(&mut e, "(define (f) (conf (x 1) y))", Calls::Evaluated),
            names(&[("x", true), ("y", false), ("conf", true)])
        );
    }
}
