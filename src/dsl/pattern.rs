//! Guile's `(ice-9 match)`: `match`, `match-lambda`, `match-lambda*`, `match-let` and
//! `match-let*`, compiled into plain Scheme before Steel sees the form.
//!
//! Steel's `syntax-rules` cannot tell a pattern variable from a literal atom, so the patterns
//! are compiled here, from the read data: lists and dotted tails, `...`/`___`/`..1` (also
//! before further items), vectors `#(pat …)` (their items matched as a list's), `_`, literals,
//! `'datum`, quasi-patterns with `,pat`, `(? pred pat …)`,
//! `(= proc pat)`, `and`, `or`, `not`, and `(=> fail)` in a clause. Expressions (the matched
//! value, predicates, procedures, bodies) are copied byte for byte, and `shifts` maps each
//! piece back, so that every location inside them stays the user's; the generated glue maps
//! to the `match` form. No clause matching is Guile's "no matching pattern" error.
//!
//! The same pass blanks the docstring Guile allows in `(syntax-rules (LITERAL …) "doc" …)`,
//! which Steel would take for a clause.

use super::reader::{self, Kind, Node};
use super::source::{self, Form, LexError, Scanned};

const HEADS: &[&str] = &[
    "match",
    "match-lambda",
    "match-lambda*",
    "match-let",
    "match-let*",
];

/// The rewritten text, its forms, and (offset in the new text, offset in `text`) points.
pub(crate) struct Rewritten {
    pub text: String,
    pub forms: Vec<Form>,
    pub shifts: Vec<(usize, usize)>,
}

/// Rewrites every match form of `text` (its top-level `forms`); `None` when there is none.
pub(crate) fn rewrite(text: &str, forms: &[Form]) -> Result<Option<Rewritten>, LexError> {
    if !HEADS.iter().any(|h| text.contains(h)) && !text.contains("syntax-rules") {
        return Ok(None);
    }
    let mut out = Out {
        src: text,
        text: String::with_capacity(text.len() + 256),
        shifts: Vec::new(),
        anchor: 0,
        fresh: 0,
        found: false,
    };
    let mut new_forms = Vec::with_capacity(forms.len());
    let mut copied = 0;
    for form in forms {
        out.copy(copied, form.start);
        let start = out.text.len();
        let mut i = form.start;
        match reader::read(&text.as_bytes()[..form.end], &mut i) {
            Some(node) => {
                out.node(&node)?;
                out.copy(node.end, form.end);
            }
            None => out.copy(form.start, form.end),
        }
        new_forms.push(Form {
            start,
            end: out.text.len(),
        });
        copied = form.end;
    }
    out.copy(copied, text.len());
    Ok(out.found.then_some(Rewritten {
        text: out.text,
        forms: new_forms,
        shifts: out.shifts,
    }))
}

/// `scanned` with its match forms compiled; its shifts still lead to the source, and so does
/// the offset of an error.
pub(crate) fn apply(scanned: Scanned) -> Result<Scanned, LexError> {
    let rewritten = rewrite(&scanned.text, &scanned.forms).map_err(|mut e| {
        e.offset = source::to_source_offset(&scanned.shifts, e.offset);
        e
    })?;
    let Some(r) = rewritten else {
        return Ok(scanned);
    };
    // Each piece of the new text starts at a point of the scanned text; the scan's own shifts
    // inside a copied piece carry over.
    let mut shifts = Vec::with_capacity(r.shifts.len() + scanned.shifts.len());
    for (k, &(new, old)) in r.shifts.iter().enumerate() {
        let len = r.shifts.get(k + 1).map_or(r.text.len(), |n| n.0) - new;
        shifts.push((new, source::to_source_offset(&scanned.shifts, old)));
        for &(n1, o1) in &scanned.shifts {
            if n1 > old && n1 < old + len {
                shifts.push((new + (n1 - old), o1));
            }
        }
    }
    Ok(Scanned {
        text: r.text,
        forms: r.forms,
        shifts,
    })
}

/// What remains to be done once a pattern has matched, in order.
#[derive(Clone)]
enum Task<'n> {
    /// Match the node against the variable (as a quasi-pattern when true).
    Pat(&'n Node, String, bool),
    /// Match list items and a dotted tail against the variable.
    List(&'n [Node], Option<&'n Node>, String, bool),
    /// Bind the variable to the expression (match-let*).
    Let(String, &'n Node),
    /// Generated code that ends the chain.
    Code(String),
    /// Bind car and cdr of a list of field values (for `$`); the list is long enough when
    /// the pattern names at most as many fields as the record has.
    Field(String, String, String),
    /// A clause body, with the name `(=> NAME)` gives the failure procedure.
    Body(&'n [Node], Option<String>),
}

struct Out<'a> {
    src: &'a str,
    text: String,
    shifts: Vec<(usize, usize)>,
    /// Where generated code is said to come from: the match form being compiled.
    anchor: usize,
    fresh: usize,
    found: bool,
}

fn err(node: &Node, message: impl Into<String>) -> LexError {
    LexError {
        offset: node.start,
        message: message.into(),
        hint: None,
    }
}

fn is_ellipsis(node: &Node) -> bool {
    matches!(node.symbol(), Some("..." | "___" | "..1"))
}

impl Out<'_> {
    fn copy(&mut self, start: usize, end: usize) {
        if start >= end {
            return;
        }
        self.shifts.push((self.text.len(), start));
        self.text.push_str(&self.src[start..end]);
    }

    fn code(&mut self, s: &str) {
        self.shifts.push((self.text.len(), self.anchor));
        self.text.push_str(s);
    }

    /// The call that reports no clause matched, located at the match form.
    fn no_match(&mut self, value: &str) {
        self.code(&format!("(%match-none {value} (%match-span "));
        self.code("(match)");
        self.code("))");
    }

    fn name(&mut self, what: &str) -> String {
        self.fresh += 1;
        format!("%match-{what}{}", self.fresh)
    }

    fn spelling(&self, node: &Node) -> &str {
        &self.src[node.start..node.end]
    }

    /// Copies an expression, compiling the match forms inside it.
    fn node(&mut self, node: &Node) -> Result<(), LexError> {
        if let Some(head) = node.head().filter(|h| HEADS.contains(h)) {
            return self.match_form(head, node);
        }
        if node.head() == Some("syntax-rules") {
            if let Some(doc) = node.items().and_then(|i| i.get(2)).filter(|d| {
                d.kind == Kind::Literal && self.src.as_bytes().get(d.start) == Some(&b'"')
            }) {
                self.found = true;
                let mut at = node.start;
                for child in node.items().unwrap_or_default() {
                    self.copy(at, child.start);
                    if child == doc {
                        // Same length, newlines kept: nothing after it moves.
                        let blank: String = self.src[doc.start..doc.end]
                            .chars()
                            .map(|c| if c == '\n' { '\n' } else { ' ' })
                            .collect();
                        self.shifts.push((self.text.len(), doc.start));
                        self.text.push_str(&blank);
                    } else {
                        self.node(child)?;
                    }
                    at = child.end;
                }
                self.copy(at, node.end);
                return Ok(());
            }
        }
        let children: Vec<&Node> = match &node.kind {
            Kind::List(items, tail) => items.iter().chain(tail.as_deref()).collect(),
            Kind::Vector(items) => items.iter().collect(),
            _ => Vec::new(),
        };
        let mut at = node.start;
        for child in children {
            self.copy(at, child.start);
            self.node(child)?;
            at = child.end;
        }
        self.copy(at, node.end);
        Ok(())
    }

    fn body(&mut self, nodes: &[Node]) -> Result<(), LexError> {
        for (k, n) in nodes.iter().enumerate() {
            if k > 0 {
                self.code(" ");
            }
            self.node(n)?;
        }
        Ok(())
    }

    fn match_form(&mut self, head: &str, node: &Node) -> Result<(), LexError> {
        self.found = true;
        let saved = self.anchor;
        self.anchor = node.start;
        let items = node
            .items()
            .ok_or_else(|| err(node, format!("{head}: not a proper list")))?;
        match head {
            "match" => {
                let expr = items
                    .get(1)
                    .ok_or_else(|| err(node, "match: no expression to match"))?;
                let v = self.name("v");
                self.code(&format!("(let (({v} "));
                self.node(expr)?;
                self.code(")) ");
                self.clauses(&v, &items[2..])?;
                self.code(")");
            }
            "match-lambda" | "match-lambda*" => {
                let v = self.name("args");
                if head == "match-lambda" {
                    self.code(&format!("(lambda ({v}) "));
                } else {
                    self.code(&format!("(lambda {v} "));
                }
                self.clauses(&v, &items[1..])?;
                self.code(")");
            }
            _ => self.match_let(head, items, node)?,
        }
        self.anchor = saved;
        Ok(())
    }

    fn clauses(&mut self, v: &str, clauses: &[Node]) -> Result<(), LexError> {
        let Some((clause, more)) = clauses.split_first() else {
            self.no_match(v);
            return Ok(());
        };
        let items = clause
            .items()
            .filter(|i| !i.is_empty())
            .ok_or_else(|| err(clause, "match: a clause is (PATTERN BODY …)"))?;
        let mut body = &items[1..];
        let mut fail_name = None;
        if let Some(first) = body.first() {
            if first.head() == Some("=>") {
                match first.items() {
                    Some([_, id]) if id.symbol().is_some() => {
                        fail_name = id.symbol().map(str::to_string);
                        body = &body[1..];
                    }
                    _ => return Err(err(first, "match: a failure clause is (=> NAME)")),
                }
            }
        }
        if body.is_empty() {
            return Err(err(clause, "match: this clause has no body"));
        }
        let f = self.name("fail");
        self.code(&format!("(let (({f} (lambda () "));
        self.clauses(v, more)?;
        self.code("))) ");
        let tasks = [
            Task::Pat(&items[0], v.to_string(), false),
            Task::Body(body, fail_name),
        ];
        self.compile(&tasks, &f)?;
        self.code(")");
        Ok(())
    }

    fn match_let(&mut self, head: &str, items: &[Node], form: &Node) -> Result<(), LexError> {
        let bindings = items.get(1).and_then(Node::items).ok_or_else(|| {
            err(
                form,
                format!("{head}: expected (({head} ((PATTERN EXPR) …) BODY …)"),
            )
        })?;
        let body = &items[2..];
        if body.is_empty() {
            return Err(err(form, format!("{head}: no body")));
        }
        let mut pairs = Vec::new();
        for b in bindings {
            match b.items() {
                Some([p, e]) => pairs.push((p, e)),
                _ => return Err(err(b, format!("{head}: a binding is (PATTERN EXPR)"))),
            }
        }
        let names: Vec<String> = pairs.iter().map(|_| self.name("t")).collect();
        let f = self.name("fail");
        let all = format!("(list {})", names.join(" "));
        self.code(&format!("(let (({f} (lambda () "));
        self.no_match(&all);
        self.code("))) ");
        let mut tasks = Vec::new();
        if head == "match-let" {
            // Every expression first, then the patterns.
            self.code("(let (");
            for (name, (_, e)) in names.iter().zip(&pairs) {
                self.code(&format!("({name} "));
                self.node(e)?;
                self.code(")");
            }
            self.code(") ");
            for (name, (p, _)) in names.iter().zip(&pairs) {
                tasks.push(Task::Pat(p, name.clone(), false));
            }
        } else {
            self.code("(let () ");
            for (name, (p, e)) in names.iter().zip(&pairs) {
                tasks.push(Task::Let(name.clone(), e));
                tasks.push(Task::Pat(p, name.clone(), false));
            }
        }
        tasks.push(Task::Body(body, None));
        self.compile(&tasks, &f)?;
        self.code("))");
        Ok(())
    }

    /// Emits the code for `tasks`; `fail` names the procedure to call when a pattern fails.
    fn compile<'n>(&mut self, tasks: &[Task<'n>], fail: &str) -> Result<(), LexError> {
        let Some((task, rest)) = tasks.split_first() else {
            return Ok(());
        };
        let f = format!("({fail})");
        match task {
            Task::Code(s) => self.code(s),
            Task::Field(list, a, d) => {
                self.code(&format!(
                    "(if (pair? {list}) (let (({a} (car {list})) ({d} (cdr {list}))) "
                ));
                self.compile(rest, fail)?;
                self.code(&format!(") ({fail}))"));
            }
            Task::Body(body, fail_name) => {
                match fail_name {
                    Some(n) => self.code(&format!("(let (({n} {fail})) ")),
                    None => self.code("(let () "),
                }
                self.body(body)?;
                self.code(")");
            }
            Task::Let(v, e) => {
                self.code(&format!("(let (({v} "));
                self.node(e)?;
                self.code(")) ");
                self.compile(rest, fail)?;
                self.code(")");
            }
            Task::List(items, tail, v, quasi) => self.list(items, *tail, v, *quasi, rest, fail)?,
            Task::Pat(node, v, true) => match &node.kind {
                Kind::Prefixed("unquote", p) => {
                    self.compile(&then(rest, vec![Task::Pat(p, v.clone(), false)]), fail)?
                }
                Kind::List(items, tail) if node.head() == Some("unquote") && items.len() == 2 => {
                    let _ = tail;
                    self.compile(
                        &then(rest, vec![Task::Pat(&items[1], v.clone(), false)]),
                        fail,
                    )?
                }
                Kind::List(items, tail) => {
                    let t = Task::List(items, tail.as_deref(), v.clone(), true);
                    self.compile(&then(rest, vec![t]), fail)?
                }
                Kind::Vector(items) => self.vector(items, v, true, rest, fail)?,
                Kind::Prefixed("unquote-splicing", _) => {
                    return Err(err(node, "match: ingot supports no ,@ patterns"))
                }
                _ => {
                    let datum = self.spelling(node).to_string();
                    self.code(&format!("(if (equal? {v} (quote {datum})) "));
                    self.compile(rest, fail)?;
                    self.code(&format!(" {f})"));
                }
            },
            Task::Pat(node, v, false) => self.pattern(node, v, rest, fail)?,
        }
        Ok(())
    }

    fn pattern<'n>(
        &mut self,
        node: &'n Node,
        v: &str,
        rest: &[Task<'n>],
        fail: &str,
    ) -> Result<(), LexError> {
        let f = format!("({fail})");
        let test = |out: &mut Self, test: String| -> Result<(), LexError> {
            out.code(&format!("(if {test} "));
            out.compile(rest, fail)?;
            out.code(&format!(" {f})"));
            Ok(())
        };
        match &node.kind {
            Kind::Symbol(s) if s == "_" => self.compile(rest, fail)?,
            Kind::Symbol(_) if is_ellipsis(node) => {
                return Err(err(node, "match: `...` follows the pattern it repeats"))
            }
            Kind::Symbol(s) => {
                self.code(&format!("(let (({s} {v})) "));
                self.compile(rest, fail)?;
                self.code(")");
            }
            Kind::Keyword(_) => {
                let k = self.spelling(node).to_string();
                test(self, format!("(equal? {v} (quote {k}))"))?
            }
            Kind::Literal => {
                let lit = self.spelling(node).to_string();
                test(self, format!("(equal? {v} {lit})"))?
            }
            Kind::Prefixed("quote", d) => {
                let d = self.spelling(d).to_string();
                test(self, format!("(equal? {v} (quote {d}))"))?
            }
            Kind::Prefixed("quasiquote", q) => {
                self.compile(&then(rest, vec![Task::Pat(q, v.to_string(), true)]), fail)?
            }
            Kind::Vector(items) => self.vector(items, v, false, rest, fail)?,
            Kind::Prefixed(..) => {
                return Err(err(
                    node,
                    "match: ingot supports no unquote patterns here (outside a quasi-pattern)",
                ))
            }
            Kind::List(items, tail) => match (node.head(), tail.is_none()) {
                (Some("quote"), true) if items.len() == 2 => {
                    let d = self.spelling(&items[1]).to_string();
                    test(self, format!("(equal? {v} (quote {d}))"))?
                }
                (Some("quasiquote"), true) if items.len() == 2 => self.compile(
                    &then(rest, vec![Task::Pat(&items[1], v.to_string(), true)]),
                    fail,
                )?,
                (Some("?"), true) => {
                    let pred = items
                        .get(1)
                        .ok_or_else(|| err(node, "match: (? PREDICATE PATTERN …)"))?;
                    self.code("(if (");
                    self.node(pred)?;
                    self.code(&format!(" {v}) "));
                    let pats = items[2..]
                        .iter()
                        .map(|p| Task::Pat(p, v.to_string(), false));
                    self.compile(&then(rest, pats.collect()), fail)?;
                    self.code(&format!(" {f})"));
                }
                (Some("="), true) => {
                    let [_, proc, pat] = items.as_slice() else {
                        return Err(err(node, "match: (= PROCEDURE PATTERN)"));
                    };
                    let t = self.name("t");
                    self.code(&format!("(let (({t} ("));
                    self.node(proc)?;
                    self.code(&format!(" {v}))) "));
                    self.compile(&then(rest, vec![Task::Pat(pat, t, false)]), fail)?;
                    self.code(")");
                }
                (Some("and"), true) => {
                    let pats = items[1..]
                        .iter()
                        .map(|p| Task::Pat(p, v.to_string(), false));
                    self.compile(&then(rest, pats.collect()), fail)?
                }
                (Some("or"), true) => self.or(&items[1..], v, rest, fail)?,
                (Some("not"), true) => {
                    let n = self.name("not");
                    self.code(&format!("(let (({n} (lambda () "));
                    self.compile(rest, fail)?;
                    self.code("))) ");
                    let pats = items[1..]
                        .iter()
                        .map(|p| Task::Pat(p, v.to_string(), false));
                    let mut tasks: Vec<Task<'_>> = pats.collect();
                    tasks.push(Task::Code(f.clone()));
                    self.compile(&tasks, &n)?;
                    self.code(")");
                }
                (Some("$"), true) => {
                    let rtd = items
                        .get(1)
                        .ok_or_else(|| err(node, "match: ($ RECORD-TYPE PATTERN …)"))?;
                    let fields = self.name("fields");
                    self.code("(if (%match-record? ");
                    self.node(rtd)?;
                    self.code(&format!(
                        " {v}) (let (({fields} (%match-record-fields {v}))) "
                    ));
                    // The field patterns match a prefix of the field values.
                    let mut tasks = Vec::new();
                    let mut at = fields;
                    for p in &items[2..] {
                        let (a, d) = (self.name("car"), self.name("cdr"));
                        tasks.push(Task::Field(at.clone(), a.clone(), d.clone()));
                        tasks.push(Task::Pat(p, a, false));
                        at = d;
                    }
                    self.compile(&then(rest, tasks), fail)?;
                    self.code(&format!(") {f})"));
                }
                (Some(h @ ("struct" | "object" | "set!" | "get!" | "@")), true) => {
                    return Err(err(
                        node,
                        format!("match: ingot does not support ({h} …) patterns"),
                    ))
                }
                _ => {
                    let t = Task::List(items, tail.as_deref(), v.to_string(), false);
                    self.compile(&then(rest, vec![t]), fail)?
                }
            },
        }
        Ok(())
    }

    /// `#(PAT …)`: a vector whose items match the patterns as a list would (`...` included).
    fn vector<'n>(
        &mut self,
        items: &'n [Node],
        v: &str,
        quasi: bool,
        rest: &[Task<'n>],
        fail: &str,
    ) -> Result<(), LexError> {
        let l = self.name("items");
        self.code(&format!(
            "(if (vector? {v}) (let (({l} (vector->list {v}))) "
        ));
        self.compile(&then(rest, vec![Task::List(items, None, l, quasi)]), fail)?;
        self.code(&format!(") ({fail}))"));
        Ok(())
    }

    /// `(or ALT …)`: each alternative binds the same names; the rest is compiled once.
    fn or<'n>(
        &mut self,
        alts: &'n [Node],
        v: &str,
        rest: &[Task<'n>],
        fail: &str,
    ) -> Result<(), LexError> {
        let vars = alts
            .first()
            .map(|a| variables(a, false))
            .unwrap_or_default();
        let k = self.name("k");
        self.code(&format!("(let (({k} (lambda ({}) ", vars.join(" ")));
        self.compile(rest, fail)?;
        self.code("))) ");
        let call = format!("({k} {})", vars.join(" "));
        self.or_chain(alts, v, &call, fail)?;
        self.code(")");
        Ok(())
    }

    fn or_chain(&mut self, alts: &[Node], v: &str, call: &str, fail: &str) -> Result<(), LexError> {
        let Some((alt, more)) = alts.split_first() else {
            self.code(&format!("({fail})"));
            return Ok(());
        };
        let next = self.name("or");
        self.code(&format!("(let (({next} (lambda () "));
        self.or_chain(more, v, call, fail)?;
        self.code("))) ");
        let tasks = [
            Task::Pat(alt, v.to_string(), false),
            Task::Code(call.to_string()),
        ];
        self.compile(&tasks, &next)?;
        self.code(")");
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn list<'n>(
        &mut self,
        items: &'n [Node],
        tail: Option<&'n Node>,
        v: &str,
        quasi: bool,
        rest: &[Task<'n>],
        fail: &str,
    ) -> Result<(), LexError> {
        let f = format!("({fail})");
        let Some((first, more)) = items.split_first() else {
            match tail {
                Some(t) => {
                    self.compile(&then(rest, vec![Task::Pat(t, v.to_string(), quasi)]), fail)?
                }
                None => {
                    self.code(&format!("(if (null? {v}) "));
                    self.compile(rest, fail)?;
                    self.code(&format!(" {f})"));
                }
            }
            return Ok(());
        };
        if let Some(dots) = more.first().filter(|d| is_ellipsis(d)) {
            if tail.is_some() {
                return Err(err(dots, "match: `...` in a dotted list"));
            }
            let after = &more[1..];
            if after.iter().any(is_ellipsis) {
                return Err(err(dots, "match: one `...` per list"));
            }
            let min = usize::from(dots.symbol() == Some("..1"));
            let (h, r) = (self.name("h"), self.name("r"));
            let k = after.len();
            self.code(&format!(
                "(if (and (list? {v}) (>= (length {v}) {})) (let (({h} (%match-drop-right {v} {k})) ({r} (%match-take-right {v} {k}))) ",
                k + min
            ));
            let vars = variables(first, quasi);
            let (l, e, lp) = (self.name("l"), self.name("e"), self.name("loop"));
            let accs: Vec<String> = vars.iter().map(|_| self.name("acc")).collect();
            let inits: String = accs.iter().map(|a| format!(" ({a} '())")).collect();
            self.code(&format!(
                "(let {lp} (({l} {h}){inits}) (if (null? {l}) (let ("
            ));
            for (x, a) in vars.iter().zip(&accs) {
                self.code(&format!("({x} (reverse {a}))"));
            }
            self.code(") ");
            self.compile(
                &then(rest, vec![Task::List(after, None, r.clone(), quasi)]),
                fail,
            )?;
            let conses: String = vars
                .iter()
                .zip(&accs)
                .map(|(x, a)| format!(" (cons {x} {a})"))
                .collect();
            self.code(&format!(") (let (({e} (car {l}))) "));
            let inner = [
                Task::Pat(first, e.clone(), quasi),
                Task::Code(format!("({lp} (cdr {l}){conses})")),
            ];
            self.compile(&inner, fail)?;
            self.code(&format!(")))) {f})"));
            return Ok(());
        }
        let (a, d) = (self.name("car"), self.name("cdr"));
        self.code(&format!(
            "(if (pair? {v}) (let (({a} (car {v})) ({d} (cdr {v}))) "
        ));
        let tasks = then(
            rest,
            vec![Task::Pat(first, a, quasi), Task::List(more, tail, d, quasi)],
        );
        self.compile(&tasks, fail)?;
        self.code(&format!(") {f})"));
        Ok(())
    }
}

/// `new` then `rest`.
fn then<'n>(rest: &[Task<'n>], new: Vec<Task<'n>>) -> Vec<Task<'n>> {
    let mut t = new;
    t.extend(rest.iter().cloned());
    t
}

/// The pattern variables of `node`, in order, once each.
fn variables(node: &Node, quasi: bool) -> Vec<String> {
    let mut out = Vec::new();
    collect(node, quasi, &mut out);
    out
}

fn collect(node: &Node, quasi: bool, out: &mut Vec<String>) {
    let add = |s: &str, out: &mut Vec<String>| {
        if !out.iter().any(|o| o == s) {
            out.push(s.to_string());
        }
    };
    match &node.kind {
        Kind::Prefixed("unquote", p) if quasi => collect(p, false, out),
        Kind::Prefixed("quasiquote", p) if !quasi => collect(p, true, out),
        Kind::Symbol(s) if !quasi && s != "_" && !is_ellipsis(node) => add(s, out),
        Kind::List(items, tail) => {
            let from = match (node.head(), quasi) {
                (Some("unquote"), true) => {
                    if let Some(p) = items.get(1) {
                        collect(p, false, out);
                    }
                    return;
                }
                (Some("quote"), false) | (Some("not"), false) => return,
                (Some("quasiquote"), false) => {
                    if let Some(p) = items.get(1) {
                        collect(p, true, out);
                    }
                    return;
                }
                (Some("?" | "="), false) => 2,
                (Some("and"), false) => 1,
                (Some("or"), false) => {
                    if let Some(p) = items.get(1) {
                        collect(p, false, out);
                    }
                    return;
                }
                _ => 0,
            };
            for item in items.iter().skip(from) {
                collect(item, quasi, out);
            }
            if let Some(t) = tail {
                collect(t, quasi, out);
            }
        }
        Kind::Vector(items) => items.iter().for_each(|item| collect(item, quasi, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one_form(text: &str) -> Rewritten {
        let forms = [Form {
            start: 0,
            end: text.len(),
        }];
        rewrite(text, &forms).unwrap().unwrap()
    }

    #[test]
    fn leaves_text_without_match_alone() {
        let text = "(define x (list 1 2))";
        let forms = [Form {
            start: 0,
            end: text.len(),
        }];
        assert!(rewrite(text, &forms).unwrap().is_none());
    }

    #[test]
    fn copies_expressions_and_maps_them_back() {
        let text = "(define (f x) (match x ((a . b) (string-append a b)) (_ \"none\")))";
        let out = one_form(text);
        let at = out.text.find("(string-append a b)").unwrap();
        let back = super::super::source::to_source_offset(&out.shifts, at);
        assert_eq!(&text[back..back + 19], "(string-append a b)");
        assert_eq!(out.forms[0].start, 0);
        assert_eq!(out.forms[0].end, out.text.len());
    }

    #[test]
    fn finds_pattern_variables() {
        let node = &reader::read_all("(a (? string? b) (= car c) `(x ,d) 'e _ f ...)", 0, 50)[0];
        assert_eq!(variables(node, false), ["a", "b", "c", "d", "f"]);
    }

    #[test]
    fn reports_bad_clauses_where_they_are() {
        let text = "(match x ())";
        let forms = [Form {
            start: 0,
            end: text.len(),
        }];
        let e = rewrite(text, &forms).err().unwrap();
        assert_eq!(e.offset, 9);
    }
}
